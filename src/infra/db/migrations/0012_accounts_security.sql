-- placeholder: replaced by this migration's statements, or removed if unused
SELECT 1;
