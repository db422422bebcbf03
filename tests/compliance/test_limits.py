"""Discharge limits from QCVN 40 / QCVN 19 with the facility's coefficients, and hourly means."""

import pytest

from app.compliance.limits import emission_limit, hourly_mean, permit_limit, wastewater_limit


@pytest.mark.parametrize(
    ("flow", "kf", "cod"),
    [(50, 1.2, 180.0), (50.1, 1.1, 165.0), (500, 1.1, 165.0), (5000, 1.0, 150.0), (5001, 0.9, 135.0)],
)
def test_cod_column_b_with_kf_by_flow(flow, kf, cod):
    limit = wastewater_limit("COD", {"wastewater_flow_m3_day": flow})
    assert limit.high == pytest.approx(cod)
    assert f"Kf = {kf:g}" in limit.basis
    assert limit.confidence == "to_verify"


def test_column_a_with_kq_and_given_kf():
    limit = wastewater_limit("TSS", {"qcvn_column": "A", "kq": 0.9, "kf": 1.0, "wastewater_flow_m3_day": 100})
    assert limit.high == pytest.approx(45.0)
    assert limit.confidence == "confirmed"


def test_ph_is_a_range_and_temperature_has_no_coefficients():
    ph = wastewater_limit("pH", {"qcvn_column": "A"})
    assert (ph.low, ph.high) == (6.0, 9.0)
    assert ph.exceeded_by(5.9) and ph.exceeded_by(9.01) and not ph.exceeded_by(6.0)
    assert wastewater_limit("TEMP", {"kq": 0.5, "wastewater_flow_m3_day": 10}).high == 40.0
    assert wastewater_limit("FLOW_OUT", {}) is None


def test_emission_kp_by_total_flow_and_kv():
    assert emission_limit("DUST", {"kv": 1.0}, 20000).high == pytest.approx(200.0)
    assert emission_limit("SO2", {"kv": 0.8}, 50000).high == pytest.approx(500 * 0.9 * 0.8)
    assert emission_limit("NOX", {}, 150000).high == pytest.approx(850 * 0.8)
    assert emission_limit("O2", {}, 1000) is None


def test_permit_limit_and_hourly_mean_sufficiency():
    assert permit_limit("COD", None, 100, "số 12/GP-UBND").exceeded_by(100.5)
    assert hourly_mean(90.0, 9, 9, 9) == 10.0
    assert hourly_mean(80.0, 8, 8, 9) is None
    assert hourly_mean(0.0, 0, 0, 9) is None
