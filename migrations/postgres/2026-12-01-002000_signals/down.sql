DROP TABLE signal_idempotency_keys;
DROP TABLE signal_indicator_marks;
DROP TABLE signal_indicators;
DROP TABLE signal_handoffs;
DROP TABLE signals;
