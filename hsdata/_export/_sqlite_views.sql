-- The views of the SQLite export (hsdata export --format sqlite).
--
-- Each view starts with a "-- view:" line, then its "-- title:" and "-- description:"
-- (which the Datasette metadata shows), then one or more SELECT statements, each ending
-- with ";" at the end of a line. The view is the UNION ALL of those of its SELECTs whose
-- tables and columns the database has: a view over a record type that a version of the
-- standard does not have (engagements came in 1.2) loses that part, or is left out when no
-- part is left, so every version gets the views it can answer.
--
-- Dates are the standard's partial dates as text ("1997", "1997-12", "1997-12-03"), so
-- substr(date, 1, 4) is the year and text order is date order.
--
-- A record's name (or label, or title) is its English text where it has one (the
-- record tables' column), else the one preferred_texts picks from texts.

-- view: preferred_texts
-- title: Each text in one language
-- description: Every multilingual text of a record (its name, label, title...) once: in English if it has English, else in French, else in the first of its languages in alphabetical order. The other views show a record's name from here, so a record named only in Norwegian still shows its name.
SELECT
  kept.record_type AS record_type,
  kept.record_id AS record_id,
  kept.pointer AS pointer,
  kept.language AS language,
  kept.text AS text
FROM texts AS kept
WHERE kept.text IS NOT NULL AND kept.language = (
  SELECT other.language
  FROM texts AS other
  WHERE other.record_type = kept.record_type
    AND other.record_id = kept.record_id
    AND other.pointer = kept.pointer
    AND other.text IS NOT NULL
  ORDER BY
    CASE
      WHEN other.language = 'en' OR other.language LIKE 'en-%' THEN 0
      WHEN other.language = 'fr' OR other.language LIKE 'fr-%' THEN 1
      ELSE 2
    END,
    other.language
  LIMIT 1
);

-- view: events_by_issue_area_and_year
-- title: Events by issue area and year
-- description: One row per event and issue area it concerns, with the year the event began. Count them with GROUP BY issue_area, year.
SELECT
  link.issue_area AS issue_area,
  coalesce(area.label, area_text.text) AS issue_area_label,
  CAST(substr(event.date_start, 1, 4) AS INTEGER) AS year,
  event.id AS event,
  coalesce(event.name, event_text.text) AS event_name,
  event.type AS event_type,
  event.status AS event_status,
  event.date_start AS date_start,
  event.date_end AS date_end
FROM event_issue_areas AS link
JOIN events AS event ON event.id = link.event
LEFT JOIN issue_areas AS area ON area.id = link.issue_area
LEFT JOIN preferred_texts AS area_text ON area_text.record_type = 'issueArea'
  AND area_text.record_id = area.id AND area_text.pointer = '/label'
LEFT JOIN preferred_texts AS event_text ON event_text.record_type = 'event'
  AND event_text.record_id = event.id AND event_text.pointer = '/name';

-- view: event_counts_by_issue_area_and_year
-- title: Number of events by issue area and year
-- description: How many events concerned each issue area in each year (the year the event began).
SELECT
  issue_area,
  issue_area_label,
  year,
  count(*) AS events
FROM events_by_issue_area_and_year
GROUP BY issue_area, issue_area_label, year;

-- view: actor_roles
-- title: An actor's partnerships and roles
-- description: Every tie of an actor, one row each: its memberships of organisations and its own members, the partnerships it belongs to and the roles it holds in them, the events it took part in, the posts it held, the documents it is a party to, and its engagements; with the role, the other side and the period.
SELECT
  membership.member AS actor,
  'member of' AS relation,
  membership.role AS role,
  'actor' AS other_type,
  membership.organization AS other,
  coalesce(other.name, other_text.text) AS other_name,
  membership.period_start AS period_start,
  membership.period_end AS period_end,
  'membership' AS record_type,
  membership.id AS record_id
FROM memberships AS membership
LEFT JOIN actors AS other ON other.id = membership.organization
LEFT JOIN preferred_texts AS other_text ON other_text.record_type = 'actor'
  AND other_text.record_id = other.id AND other_text.pointer = '/name';
SELECT
  membership.organization AS actor,
  'has member' AS relation,
  membership.role AS role,
  'actor' AS other_type,
  membership.member AS other,
  coalesce(other.name, other_text.text) AS other_name,
  membership.period_start AS period_start,
  membership.period_end AS period_end,
  'membership' AS record_type,
  membership.id AS record_id
FROM memberships AS membership
LEFT JOIN actors AS other ON other.id = membership.member
LEFT JOIN preferred_texts AS other_text ON other_text.record_type = 'actor'
  AND other_text.record_id = other.id AND other_text.pointer = '/name';
SELECT
  member.actor AS actor,
  'partner in' AS relation,
  member.role AS role,
  'partnership' AS other_type,
  member.partnership AS other,
  coalesce(partnership.name, partnership_text.text) AS other_name,
  coalesce(member.joined, partnership.period_start) AS period_start,
  coalesce(member."left", partnership.period_end) AS period_end,
  'partnership' AS record_type,
  member.partnership AS record_id
FROM partnership_members AS member
LEFT JOIN partnerships AS partnership ON partnership.id = member.partnership
LEFT JOIN preferred_texts AS partnership_text ON partnership_text.record_type = 'partnership'
  AND partnership_text.record_id = partnership.id AND partnership_text.pointer = '/name';
SELECT
  holder.actor AS actor,
  'holds a role in' AS relation,
  holder.role AS role,
  'partnership' AS other_type,
  holder.partnership AS other,
  coalesce(partnership.name, partnership_text.text) AS other_name,
  holder.period_start AS period_start,
  holder.period_end AS period_end,
  'partnership' AS record_type,
  holder.partnership AS record_id
FROM partnership_roles AS holder
LEFT JOIN partnerships AS partnership ON partnership.id = holder.partnership
LEFT JOIN preferred_texts AS partnership_text ON partnership_text.record_type = 'partnership'
  AND partnership_text.record_id = partnership.id AND partnership_text.pointer = '/name';
SELECT
  participant.actor AS actor,
  'took part in' AS relation,
  participant.role AS role,
  'event' AS other_type,
  participant.event AS other,
  coalesce(event.name, event_text.text) AS other_name,
  event.date_start AS period_start,
  event.date_end AS period_end,
  'event' AS record_type,
  participant.event AS record_id
FROM event_participants AS participant
LEFT JOIN events AS event ON event.id = participant.event
LEFT JOIN preferred_texts AS event_text ON event_text.record_type = 'event'
  AND event_text.record_id = event.id AND event_text.pointer = '/name';
SELECT
  post.actor AS actor,
  'held a post in' AS relation,
  post.type AS role,
  'actor' AS other_type,
  post.organization AS other,
  coalesce(other.name, other_text.text) AS other_name,
  post.period_start AS period_start,
  post.period_end AS period_end,
  'actor' AS record_type,
  post.actor AS record_id
FROM actor_posts AS post
LEFT JOIN actors AS other ON other.id = post.organization
LEFT JOIN preferred_texts AS other_text ON other_text.record_type = 'actor'
  AND other_text.record_id = other.id AND other_text.pointer = '/name';
SELECT
  party.actor AS actor,
  'party to' AS relation,
  party.role AS role,
  'document' AS other_type,
  party.document AS other,
  coalesce(document.title, document_text.text) AS other_name,
  coalesce(party.signed, party.consented, party.in_force) AS period_start,
  NULL AS period_end,
  'document' AS record_type,
  party.document AS record_id
FROM document_parties AS party
LEFT JOIN documents AS document ON document.id = party.document
LEFT JOIN preferred_texts AS document_text ON document_text.record_type = 'document'
  AND document_text.record_id = document.id AND document_text.pointer = '/title';
SELECT
  engagement.actor AS actor,
  'engaged through' AS relation,
  engagement.mode AS role,
  CASE
    WHEN engagement.forum IS NOT NULL THEN 'actor'
    WHEN engagement.partnership IS NOT NULL THEN 'partnership'
    WHEN engagement.event IS NOT NULL THEN 'event'
  END AS other_type,
  coalesce(engagement.forum, engagement.partnership, engagement.event) AS other,
  coalesce(
    forum.name, forum_text.text, partnership.name, partnership_text.text, event.name,
    event_text.text
  ) AS other_name,
  coalesce(engagement.period_start, event.date_start) AS period_start,
  coalesce(engagement.period_end, event.date_end) AS period_end,
  'engagement' AS record_type,
  engagement.id AS record_id
FROM engagements AS engagement
LEFT JOIN actors AS forum ON forum.id = engagement.forum
LEFT JOIN partnerships AS partnership ON partnership.id = engagement.partnership
LEFT JOIN events AS event ON event.id = engagement.event
LEFT JOIN preferred_texts AS forum_text ON forum_text.record_type = 'actor'
  AND forum_text.record_id = forum.id AND forum_text.pointer = '/name'
LEFT JOIN preferred_texts AS partnership_text ON partnership_text.record_type = 'partnership'
  AND partnership_text.record_id = partnership.id AND partnership_text.pointer = '/name'
LEFT JOIN preferred_texts AS event_text ON event_text.record_type = 'event'
  AND event_text.record_id = event.id AND event_text.pointer = '/name';

-- view: issue_area_engagements
-- title: Who engaged on an issue area, through which forum, and when
-- description: One row per engagement and issue area it concerns: the actor, how it engaged (the mode), the forum, partnership or event it went through, and when (the engagement's period, else the event's dates; as_of, the date its statements hold at; stated_in, the date of the earliest source it cites). Narrower issue areas are not folded in: see the recursive query in the documentation for that.
SELECT
  link.issue_area AS issue_area,
  coalesce(area.label, area_text.text) AS issue_area_label,
  engagement.actor AS actor,
  coalesce(actor.name, actor_text.text) AS actor_name,
  engagement.mode AS mode,
  engagement.forum AS forum,
  coalesce(forum.name, forum_text.text) AS forum_name,
  engagement.partnership AS partnership,
  coalesce(partnership.name, partnership_text.text) AS partnership_name,
  engagement.event AS event,
  coalesce(event.name, event_text.text) AS event_name,
  coalesce(engagement.period_start, event.date_start) AS period_start,
  coalesce(engagement.period_end, event.date_end) AS period_end,
  engagement.as_of AS as_of,
  (
    SELECT min(coalesce(source.issued, source.issued_within_start))
    FROM citations AS citation
    JOIN sources AS source ON source.id = citation.source
    WHERE citation.record_type = 'engagement' AND citation.record_id = engagement.id
  ) AS stated_in,
  engagement.id AS engagement
FROM engagement_issue_areas AS link
JOIN engagements AS engagement ON engagement.id = link.engagement
LEFT JOIN issue_areas AS area ON area.id = link.issue_area
LEFT JOIN actors AS actor ON actor.id = engagement.actor
LEFT JOIN actors AS forum ON forum.id = engagement.forum
LEFT JOIN partnerships AS partnership ON partnership.id = engagement.partnership
LEFT JOIN events AS event ON event.id = engagement.event
LEFT JOIN preferred_texts AS area_text ON area_text.record_type = 'issueArea'
  AND area_text.record_id = area.id AND area_text.pointer = '/label'
LEFT JOIN preferred_texts AS actor_text ON actor_text.record_type = 'actor'
  AND actor_text.record_id = actor.id AND actor_text.pointer = '/name'
LEFT JOIN preferred_texts AS forum_text ON forum_text.record_type = 'actor'
  AND forum_text.record_id = forum.id AND forum_text.pointer = '/name'
LEFT JOIN preferred_texts AS partnership_text ON partnership_text.record_type = 'partnership'
  AND partnership_text.record_id = partnership.id AND partnership_text.pointer = '/name'
LEFT JOIN preferred_texts AS event_text ON event_text.record_type = 'event'
  AND event_text.record_id = event.id AND event_text.pointer = '/name';
