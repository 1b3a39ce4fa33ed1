from django.db import migrations

# The common lĩnh vực of a commune's one-stop desk (DOMAIN.md glossary), with the shorter
# names one-stop software and the seeds use for them (seed 004: "BHXH", "Bảo trợ XH").
FIELDS = [
    ("Hộ tịch", ["Lĩnh vực hộ tịch", "Tư pháp - Hộ tịch"]),
    ("Chứng thực", ["Lĩnh vực chứng thực"]),
    ("Đất đai", ["Lĩnh vực đất đai", "Địa chính"]),
    ("Bảo trợ xã hội", ["Bảo trợ XH", "BTXH"]),
    ("Người có công", ["NCC", "Người có công với cách mạng"]),
    ("Lao động – Thương binh", ["Lao động - Thương binh và Xã hội", "LĐTBXH"]),
    ("Bảo hiểm xã hội", ["BHXH"]),
    ("Tư pháp", []),
    ("Xây dựng", []),
    ("Nông nghiệp", ["Nông nghiệp và Phát triển nông thôn"]),
    ("Kinh doanh hộ cá thể", ["Hộ kinh doanh", "Thành lập và hoạt động của hộ kinh doanh"]),
    ("Thi đua – Khen thưởng", ["Thi đua, khen thưởng"]),
]


def add_fields(apps, schema_editor):
    ProcedureField = apps.get_model("dossiers", "ProcedureField")
    for position, (name, aliases) in enumerate(FIELDS, start=1):
        ProcedureField.objects.update_or_create(
            name=name, defaults={"aliases": "\n".join(aliases), "position": position}
        )


def remove_fields(apps, schema_editor):
    ProcedureField = apps.get_model("dossiers", "ProcedureField")
    ProcedureField.objects.filter(name__in=[name for name, _aliases in FIELDS], dossierline__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0001_catalogue_periods_reports")]

    operations = [migrations.RunPython(add_fields, remove_fields)]
