"""What the dossier views share."""

from django.http import Http404
from django.utils.translation import gettext as _

from communes.selectors import get_unit_for_user


def _commune_for(user, pk: int):
    unit = get_unit_for_user(user, pk)
    if not unit.is_commune:
        raise Http404(_("Chỉ xã, phường mới có báo cáo hồ sơ TTHC."))
    return unit
