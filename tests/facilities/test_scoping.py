"""An enterprise user sees only its own enterprise's facilities, whatever the URL."""


def test_enterprise_user_sees_only_own_facilities(client, make_user, login, make_enterprise, make_facility):
    mine = make_enterprise("Công ty CP Giấy Sông Hậu Xanh")
    other = make_enterprise("Công ty TNHH Thủy sản Phú Thịnh")
    own = make_facility("CT-GIAY-01", mine, name="Nhà máy giấy Vị Thanh")
    foreign = make_facility("CT-TS-09", other, name="Nhà máy chế biến thủy sản Trà Nóc")
    login(make_user("enterprise", enterprise=mine))
    listing = client.get("/facilities/").get_data(as_text=True)
    assert own.name in listing and foreign.name not in listing
    assert client.get(f"/facilities/{own.code}").status_code == 200
    assert client.get(f"/facilities/{foreign.code}").status_code == 404
    # Searching by the other's name or filtering by its commune reveals nothing either.
    assert foreign.name not in client.get("/facilities/?q=Trà Nóc").get_data(as_text=True)
    home = client.get("/home").get_data(as_text=True)
    assert own.code in home and foreign.code not in home


def test_staff_see_every_facility(client, make_user, login, make_facility):
    a = make_facility("CT-A-01")
    b = make_facility("CT-B-01")
    for role in ("inspector", "leader", "admin"):
        login(make_user(role))
        text = client.get("/facilities/").get_data(as_text=True)
        assert a.code in text and b.code in text
        assert client.get(f"/facilities/{b.code}").status_code == 200
        client.post("/logout")


def test_filters(client, make_user, login, make_facility):
    make_facility("CT-1", commune="Phường Cái Khế", industry_type="seafood")
    make_facility("CT-2", commune="Xã Phong Điền", industry_type="paper")
    login(make_user("inspector"))
    text = client.get("/facilities/?commune=Xã Phong Điền").get_data(as_text=True)
    assert "CT-2" in text and "CT-1<" not in text
    text = client.get("/facilities/?industry=seafood").get_data(as_text=True)
    assert "CT-1" in text and "CT-2<" not in text


def test_list_pages_through_many_facilities(client, make_user, login, make_enterprise, make_facility):
    enterprise = make_enterprise()
    for number in range(60):
        make_facility(f"CT-P-{number:03d}", enterprise)
    login(make_user("inspector"))
    first = client.get("/facilities/?q=CT-P-")
    assert first.status_code == 200
    text = first.get_data(as_text=True)
    assert "CT-P-000" in text and "CT-P-059" not in text and "page=2" in text
    second = client.get("/facilities/?q=CT-P-&page=2").get_data(as_text=True)
    assert "CT-P-059" in second and "CT-P-000" not in second
