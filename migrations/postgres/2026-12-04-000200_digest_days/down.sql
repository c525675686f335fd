DROP TABLE digest_days;
