DROP TABLE case_meeting_decisions;
DROP TABLE case_meeting_items;
DROP TABLE case_meeting_partners;
DROP TABLE case_meetings;
