-- 0004 (issue 3, part G): who rectified an inspection defect and who recorded each item (R6.1), and
-- the lookups the seating plan, rosters and tickets make per session.
ALTER TABLE inspection_items ADD COLUMN rectified_by TEXT;          -- a name: often facilities staff without an account
ALTER TABLE inspection_items ADD COLUMN recorded_by TEXT REFERENCES users(id);
CREATE INDEX seats_room ON seats(exam_session_id, room_id, seat);
CREATE INDEX tickets_session ON tickets(exam_session_id, revoked_at);
CREATE INDEX staff_assignments_session ON staff_assignments(exam_session_id, room_id);
