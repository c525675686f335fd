DROP TABLE assessment_scores;
DROP TABLE assessments;
