import pytest, tablib
from sections.resources import SectionResource
from sections.tests.factories import DistrictFactory
pytestmark = pytest.mark.django_db

def test_s():
    DistrictFactory(code="d12")
    csv = ("slug,name,kind,district,country,city,time_zone,working_languages,founded_year,member_count,maturity,interests,seeking_partner,max_concurrent_partnerships,website,contact_email\n"
           "ams,Amsterdam Section,professional,d12,NL,Amsterdam,Europe/Amsterdam,\"nl,en\",1990,100,established,process-control,1,2,,\n"
           "gent,Gent Section,professional,d12,BE,Gent,Europe/Brussels,nl,1990,-5,established,\"process-control,no-such-topic\",0,2,,\n"
           "xx,X Section,student,d99,XX,X,Europe/Brussels,nl,1990,5,established,,0,2,,\n")
    ds = tablib.Dataset().load(csv, format="csv")
    r = SectionResource().import_data(ds, dry_run=True)
    print(r.has_errors(), r.has_validation_errors())
    for line, errs in r.row_errors():
        print("ERR", line, [e.error for e in errs])
    for row in r.invalid_rows:
        print("INV", row.number, row.field_specific_errors, row.non_field_specific_errors)
    for row in r.rows:
        print(row.import_type)
    assert 0
