DROP TABLE plan_reviews;
