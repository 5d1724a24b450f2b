from django.db import migrations

# The consultation types and their minimum periods (regulatory-facts §5), edited in the admin.
# 重大行政决策 and 决策预公开 follow their sources. The rules of 行政规范性文件 and other
# consultations were not researched (§5 [X]): their figures are defaults to be set locally.
TYPES = (
    (
        "major_decision",
        "重大行政决策",
        30,
        "calendar_days",
        "《重大行政决策程序暂行条例》（国务院令第713号）第十五条：向社会公开征求意见的期限一般"
        "不少于30日；因情况紧急等原因需要缩短期限的，公开征求意见时应当予以说明。",
        10,
    ),
    (
        "pre_disclosure",
        "决策预公开",
        5,
        "working_days",
        "《北京市2018年政务公开工作要点》三（二）：建立健全重大决策预公开制度，"
        "征求意见时间一般不得少于5个工作日。",
        20,
    ),
    (
        "normative_document",
        "行政规范性文件",
        30,
        "calendar_days",
        "默认值，依据未经核实，请按本地规定修改。",
        30,
    ),
    ("other", "其他", 7, "calendar_days", "默认值，依据未经核实，请按本地规定修改。", 90),
)


def forwards(apps, schema_editor):
    kind = apps.get_model("participation", "ConsultationType")
    for code, name, minimum, unit, basis, order in TYPES:
        kind.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "minimum_period": minimum,
                "period_unit": unit,
                "legal_basis": basis,
                "sort_order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("participation", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
