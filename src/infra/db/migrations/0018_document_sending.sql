-- document sending: the tables and columns are added with the feature that uses them.
SELECT 1;
