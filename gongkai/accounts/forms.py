"""Forms of the accounts app. Validation of rules happens in services; forms parse input."""

from django import forms
from django.contrib.auth.password_validation import password_validators_help_texts
from django.utils.translation import gettext_lazy as _

from gongkai.orgs.models import Organisation

from .models import Role


class LoginForm(forms.Form):
    identifier = forms.CharField(
        label=_("用户名 / 手机号码 / 电子邮箱"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("密码"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class _NewPasswordMixin(forms.Form):
    password1 = forms.CharField(
        label=_("密码"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=" ".join(password_validators_help_texts()),
    )
    password2 = forms.CharField(
        label=_("确认密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        return data


class RegisterForm(_NewPasswordMixin):
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("电子邮箱"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    full_name = forms.CharField(label=_("姓名（选填）"), max_length=50, required=False)

    field_order = ["phone", "email", "full_name", "password1", "password2"]


class PasswordChangeForm(_NewPasswordMixin):
    old_password = forms.CharField(
        label=_("原密码"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    field_order = ["old_password", "password1", "password2"]


class StaffCreateForm(_NewPasswordMixin):
    username = forms.CharField(label=_("用户名"), max_length=150)
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    organisation = forms.ModelChoiceField(
        label=_("所属机构"), queryset=Organisation.objects.filter(is_active=True)
    )
    phone = forms.CharField(label=_("手机号码（选填）"), max_length=20, required=False)
    email = forms.EmailField(label=_("电子邮箱（选填）"), required=False)

    field_order = ["username", "full_name", "organisation", "phone", "email"]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)


class StaffSearchForm(forms.Form):
    q = forms.CharField(label=_("姓名、用户名或机构"), required=False, max_length=100)
