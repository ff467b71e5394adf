"""Kafka topic names: one event topic per producing service, command/reply topics, dead letters."""

ENROLLMENT_EVENTS = "lintas.enrollment.events"
CERTIFICATION_EVENTS = "lintas.certification.events"
ENROLLMENT_COMMANDS = "lintas.enrollment.commands"
ENROLLMENT_REPLIES = "lintas.enrollment.replies"
CERTIFICATION_COMMANDS = "lintas.certification.commands"
CERTIFICATION_REPLIES = "lintas.certification.replies"
DEAD_LETTERS = "lintas.deadletter"

EVENT_TOPICS = (ENROLLMENT_EVENTS, CERTIFICATION_EVENTS)
COMMAND_TOPICS = (
    ENROLLMENT_COMMANDS,
    ENROLLMENT_REPLIES,
    CERTIFICATION_COMMANDS,
    CERTIFICATION_REPLIES,
)
ALL_TOPICS = (*EVENT_TOPICS, *COMMAND_TOPICS, DEAD_LETTERS)
EVENT_TOPIC_PARTITIONS = 6
