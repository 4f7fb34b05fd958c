"""Cross-check against ExifTool: every identity-carrying field that
`exiftool -a -G1 -u -ee -j` reports for a fixture must be reported by wmscan too.

The mapping below names, per ExifTool tag, how we check it:
  "value"  - ExifTool's value (or the identity inside it) appears among our evidence values
             (run with --show-values);
  a set    - one of these detectors reports a finding (for values ExifTool reformats, such as
             GPS coordinates printed in degrees/minutes/seconds).
"""
import json
import os
import re
import shutil
import subprocess
import unittest

from common import all_values, data, detectors_of, main, scan_json

MAPPING = {
    # people and organisations
    "Artist": "value", "Author": "value", "Creator": "value", "Composer": "value", "Copyright": "value",
    "AlbumArtist": "value", "Band": "value", "Conductor": "value", "EncodedBy": "value", "Publisher": "value",
    "Originator": "value", "Engineer": "value", "Performer": "value", "Director": "value", "Producer": "value",
    "Owner": "value", "User": "value",
    # free text that names people
    "Title": "value", "Comment": "value", "Description": "value", "Subject": "value", "ChapterName": "value",
    "Note": "value", "Project": "value", "UserDefinedText": "value", "Album": "value",
    # ids, accounts, devices
    "AppleStoreAccount": "value", "OriginatorReference": "value", "UMID": {"meta.unique_id"},
    "DocumentID": "value", "InstanceID": "value", "OriginalDocumentID": "value",
    "UniqueFileIdentifier": {"meta.unique_id"}, "Make": "value", "Model": "value", "SerialNumber": "value",
    "Popularimeter": {"meta.email"},
    # location
    "GPSCoordinates": {"meta.gps"}, "GPSLatitude": {"meta.gps"}, "GPSLongitude": {"meta.gps"},
    "GPSPosition": {"meta.gps"}, "Location": {"meta.gps"}, "LocationInformation": {"meta.gps"},
    # opaque blobs and manifests
    "Private": {"meta.blob"}, "EncapsulatedObject": {"meta.blob", "meta.c2pa"},
    "JUMBFData": {"meta.c2pa"}, "C2PA": {"meta.c2pa"}, "AttachedFileName": {"meta.attachment"},
}

FIXTURES = ["meta.mp4", "meta.mov", "meta.m4a", "meta.mkv", "meta.wav", "meta.mp3"]
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def normalise(s):
    return re.sub(r"\s+", " ", str(s)).strip().lower()


def reported(expected_value, our_values):
    v = normalise(expected_value)
    if not v:
        return True
    for ours in our_values:
        o = normalise(ours)
        if o and (v in o or (len(o) >= 4 and o in v)):
            return True
    # An e-mail inside a longer ExifTool value counts when we report that e-mail.
    emails = EMAIL.findall(str(expected_value))
    return bool(emails) and all(any(e.lower() in normalise(o) for o in our_values) for e in emails)


@unittest.skipUnless(shutil.which("exiftool"), "exiftool is not installed")
class ExifToolCrossCheck(unittest.TestCase):
    def test_every_identity_field_exiftool_sees_we_report(self):
        checked = 0
        for name in FIXTURES:
            path = data(name)
            exif = json.loads(subprocess.run(["exiftool", "-a", "-G1", "-u", "-ee", "-j", path],
                                             capture_output=True, check=True).stdout)[0]
            _, doc, _ = scan_json([path], extra=["--show-values"])
            record = doc["files"][0]
            ours = all_values(record)
            detectors = detectors_of(record)
            for key, value in exif.items():
                tag = key.split(":")[-1]
                rule = MAPPING.get(tag)
                if rule is None or str(value).strip() == "":
                    continue
                checked += 1
                with self.subTest(fixture=name, tag=key):
                    if rule == "value":
                        self.assertTrue(reported(value, ours), f"{name}: ExifTool {key}={value!r} not in our findings")
                    else:
                        self.assertTrue(detectors & rule, f"{name}: ExifTool {key} present, none of {rule} reported")
        self.assertGreaterEqual(checked, 20, "the cross-check compared too few fields to mean anything")


if __name__ == "__main__":
    main()
