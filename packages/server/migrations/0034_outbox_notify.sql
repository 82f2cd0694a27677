-- The outbox dispatcher sleeps between looks; a committed outbox row wakes it at once (in every process that listens)
-- instead of at its next look: a stage change's robots and a notification's push start without the idle wait.
-- NOTIFY is delivered on commit and folds identical notices of one transaction into one.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('rapport_outbox', '');
  RETURN NULL;
END;
$$;

CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();
