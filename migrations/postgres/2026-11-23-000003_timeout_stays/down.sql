DROP TABLE timeout_stays;
