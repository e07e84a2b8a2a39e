from tests.builders import make_agenda, make_critique, make_rating


def test_home_lists_agendas_and_published_critiques(client, db):
    agenda = make_agenda(name="Debate")
    make_critique(agenda=agenda, title="Honest debaters may lose")
    make_critique(agenda=agenda, title="Draft never shown", status="submitted")
    response = client.get("/")
    assert response.status_code == 200
    assert "Debate" in response.text
    assert "Honest debaters may lose" in response.text
    assert "Draft never shown" not in response.text


def test_agenda_page_shows_ratings(client, db):
    rating = make_rating(rationale="Needs judges who can follow the argument.")
    response = client.get(rating.agenda.get_absolute_url())
    assert response.status_code == 200
    assert "Needs judges who can follow the argument." in response.text
