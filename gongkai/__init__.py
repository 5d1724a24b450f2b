"""Gongkai (政务公开平台): an open-government platform for Chinese municipal governments."""
