"""Ids flowmap makes from names keep every letter a reader would write without its accent."""

from __future__ import annotations

import pytest

from flowmap.loaders.ids import sanitise_id, slug


@pytest.mark.parametrize(
    ("name", "wanted"),
    [
        ("Obsługa klienta", "obsluga-klienta"),  # pl: ł is not an l with a mark to NFKD
        ("Główny księgowy", "glowny-ksiegowy"),
        ("Søren Ærø", "soren-aero"),  # da/no
        ("Straße", "strasse"),
        ("Geschäftsführung", "geschaftsfuhrung"),  # marks dropped, as before
        ("Head of Sales", "head-of-sales"),
    ],
)
def test_a_slug_keeps_letters_that_do_not_decompose(name, wanted):
    assert slug(name) == wanted


def test_a_sanitised_id_keeps_them_too():
    assert sanitise_id("Dział_sprzedaży") == "Dzial_sprzedazy"
