import re
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from sections.models import Section, District
from sections.tests.factories import DistrictFactory
from twinning.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

def strip(html):
    html = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    html = re.sub(r"<style.*?</style>", "", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", html)

def test_scratch(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    r = client.get(reverse("admin:sections_section_import"))
    html = r.content.decode()
    print(re.findall(r"<(?:input|select|option)[^>]*>", html))
    DistrictFactory(code="d12")
    csv = ("slug,name,kind,district,country,city,time_zone,working_languages,founded_year,member_count,maturity,interests,seeking_partner,max_concurrent_partnerships,website,contact_email\n"
           "ams,Amsterdam Section,professional,d12,NL,Amsterdam,Europe/Amsterdam,\"nl,en\",1990,100,established,process-control,1,2,,\n"
           "gent,Gent Section,professional,d12,BE,Gent,Europe/Brussels,nl,1990,-5,established,\"process-control,no-such-topic\",0,2,,\n"
           "xx,X Section,student,d99,XX,X,Europe/Brussels,nl,1990,5,established,,0,2,,\n")
    f = SimpleUploadedFile("s.csv", csv.encode(), content_type="text/csv")
    r = client.post(reverse("admin:sections_section_import"), {"import_file": f, "format": "0", "resource": "0"})
    print(r.status_code)
    print(strip(r.content.decode())[-3000:])
    print(Section.objects.count())
    assert 0
