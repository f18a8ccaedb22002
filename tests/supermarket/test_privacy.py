"""Masking, the keyed hash and the GB 11643 check digit."""
import pytest

from supermarket.privacy import id_hmac, mask_id_last4, mask_name, mask_phone, valid_mainland_id


@pytest.mark.parametrize("name, masked", [("张小明", "张*明"), ("王五", "王*"), ("欧阳小明", "欧**明"), ("李", "*"),
                                          ("", "")])
def test_mask_name(name, masked):
    assert mask_name(name) == masked


def test_mask_phone_and_id():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("") == ""
    assert mask_id_last4("123X") == "****123X"


@pytest.mark.parametrize("number", ["11010519491231002X", "11010519491231002x", " 11010519491231002X "])
def test_valid_ids(number):
    assert valid_mainland_id(number)


@pytest.mark.parametrize("number", ["110105194912310021", "11010519491231002", "A10105194912310029",
                                    "110105194913310025", "", "11010519491231002Y", "000105194912310029",
                                    "110105209912310021"])
def test_invalid_ids(number):
    assert not valid_mainland_id(number)


def test_hmac_is_keyed_and_normalised():
    a = id_hmac("k1", "11010519491231002x")
    assert a == id_hmac("k1", " 11010519491231002X ")
    assert a != id_hmac("k2", "11010519491231002X")
    assert "11010519491231002X" not in a and len(a) == 64
    with pytest.raises(ValueError):
        id_hmac("", "11010519491231002X")
