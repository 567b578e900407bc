"""A calendar app's round trip through the CRM's CalDAV, with python-caldav (an independent client, Debian's
python3-caldav). Arguments: server URL, user, password, the UID of an appointment made in the CRM. Prints one JSON
object with what the client saw; CustomerWorkIT checks it against the CRM."""
import datetime
import json
import sys

import caldav

url, user, password, crm_uid = sys.argv[1:5]
client = caldav.DAVClient(url=url + "/.well-known/caldav", username=user, password=password)
principal = client.principal()
calendars = principal.calendars()
seen = {"calendars": [c.name for c in calendars]}
calendar = calendars[0]

start = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0, second=0) + datetime.timedelta(days=3)
stamp = "%Y%m%dT%H%M%SZ"
event = calendar.save_event("\r\n".join([
    "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//python-caldav//Relata IT//EN", "BEGIN:VEVENT",
    "UID:it-client-1@python-caldav", "DTSTAMP:" + start.strftime(stamp), "DTSTART:" + start.strftime(stamp),
    "DTEND:" + (start + datetime.timedelta(minutes=45)).strftime(stamp), "SUMMARY:Made in the calendar app",
    "END:VEVENT", "END:VCALENDAR", ""]))
seen["created_url"] = str(event.url)

seen["event_uids"] = sorted(str(e.icalendar_instance.walk("VEVENT")[0]["UID"]) for e in calendar.events())
in_range = calendar.date_search(start=start - datetime.timedelta(hours=1), end=start + datetime.timedelta(hours=1))
seen["in_range_uids"] = sorted(str(e.icalendar_instance.walk("VEVENT")[0]["UID"]) for e in in_range)

from_crm = calendar.event_by_uid(crm_uid)
from_crm.load()
seen["crm_summary"] = str(from_crm.icalendar_instance.walk("VEVENT")[0]["SUMMARY"])

# moved by the app: the CRM's appointment an hour later, with a new title
vevent = from_crm.icalendar_instance.walk("VEVENT")[0]
vevent["SUMMARY"] = "Moved in the calendar app"
vevent["DTSTART"].dt = vevent["DTSTART"].dt + datetime.timedelta(hours=1)
vevent["DTEND"].dt = vevent["DTEND"].dt + datetime.timedelta(hours=1)
from_crm.save()

mine = calendar.event_by_uid("it-client-1@python-caldav")
mine.load()
seen["client_summary"] = str(mine.icalendar_instance.walk("VEVENT")[0]["SUMMARY"])
seen["todo_uids"] = sorted(str(t.icalendar_instance.walk("VTODO")[0]["UID"]) for t in calendar.todos())
print(json.dumps(seen))
