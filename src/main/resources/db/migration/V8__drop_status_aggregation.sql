-- A final state's callbacks are now stored in the transaction that writes it (CallbackPlanner): the status events of
-- a message are no longer gathered in Camel's JDBC aggregation repository. Its two tables go; an aggregate left in them
-- held SENT events only, which give no callback.
DROP TABLE status_aggregation_completed;
DROP TABLE status_aggregation;
