"""The ladder's arithmetic: answer and waiting days, the proposed next step."""

from datetime import date

from app.cases.ladder import Step, answer_due, next_step_due, propose

STEPS = [Step(1, 15, 15), Step(2, 10, 10), Step(3, 10, 10), Step(4, None, None)]


def test_answer_and_next_step_days_are_calendar_days_from_issue():
    assert answer_due(date(2026, 1, 5), STEPS[0]) == date(2026, 1, 20)
    assert next_step_due(date(2026, 12, 25), STEPS[1]) == date(2027, 1, 4)
    assert answer_due(date(2026, 1, 5), STEPS[3]) is None


def test_a_new_case_is_proposed_the_first_step_at_once():
    proposal = propose(STEPS, 0, None, True, date(2026, 3, 1))
    assert (proposal.position, proposal.due_on, proposal.reason) == (1, date(2026, 3, 1), "first_step")


def test_the_next_step_waits_for_the_waiting_time_to_run_out():
    waiting = propose(STEPS, 1, date(2026, 3, 1), True, date(2026, 3, 15))
    assert (waiting.position, waiting.due_on, waiting.reason) == (None, date(2026, 3, 16), "waiting")
    due = propose(STEPS, 1, date(2026, 3, 1), True, date(2026, 3, 16))
    assert (due.position, due.reason) == (2, "time_elapsed")


def test_nothing_follows_the_last_step_or_a_closed_case():
    assert propose(STEPS, 4, date(2026, 3, 1), True, date(2027, 1, 1)).reason == "last_step"
    assert propose(STEPS, 1, date(2026, 3, 1), False, date(2027, 1, 1)).reason == "closed"
