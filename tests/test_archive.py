"""A topic's complete file, exported as a zip, can be checked on its own."""

import hashlib
import io
import json
import zipfile

from tests import lifecycle_helpers as h


def test_archive_holds_entries_minutes_files_records_and_a_checkable_chain(app, demo, client,
                                                                         auth):
    topic, _meeting, result = h.published()
    auth.login("luoma-supervisor")
    response = client.get(f"/topics/{topic.id}/archive.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = set(archive.namelist())
    assert {"README.txt", "records.json", "chain.json", "minutes/round-1.txt",
            "entries/00001-notice.pdf", "entries/00002-result.pdf"} <= names
    assert any(name.startswith("attachments/") and name.endswith("sign.png") for name in names)
    records = json.loads(archive.read("records.json"))
    assert records["topic"]["title"] == topic.title and len(records["signatures"]) == 3
    chain = json.loads(archive.read("chain.json"))
    previous = chain["genesis"]
    for link in chain["entries"]:
        assert link["prev_hash"] == previous
        digest = hashlib.sha256(previous.encode() + link["canonical_content"].encode("utf-8"))
        assert digest.hexdigest() == link["entry_hash"]
        previous = link["entry_hash"]
    assert previous == result.entry_hash
    assert "与会人员充分讨论" in archive.read("minutes/round-1.txt").decode()


def test_archive_is_for_staff_in_scope(app, demo, client, auth):
    topic, _meeting, _entry = h.published()
    auth.login("zsd-organiser")
    assert client.get(f"/topics/{topic.id}/archive.zip").status_code == 403
    auth.logout()
    auth.login("luoma-resident")  # the proposer reads the topic, but the file is for staff
    assert client.get(f"/topics/{topic.id}/archive.zip").status_code == 403
