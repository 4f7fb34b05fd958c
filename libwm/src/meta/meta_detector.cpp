#include "meta/meta_detector.h"

#include "meta/neighbours.h"
#include "meta/rules.h"
#include "meta/walk.h"

namespace wm::meta {

namespace {
constexpr const char* kMetaVersion = "1.2";

void add_tags(const Tags& tags, const std::string& source, std::vector<MetaField>& out) {
  for (const auto& [key, value] : tags) {
    MetaField f;
    f.source = source;
    f.key = key;
    f.value = value;
    out.push_back(std::move(f));
  }
}
}  // namespace

std::vector<MetaField> fields_from_container(const ContainerMetadata& c) {
  std::vector<MetaField> out;
  add_tags(c.format, "format", out);
  for (const auto& s : c.streams) {
    const std::string source = "stream " + std::to_string(s.index);
    if (s.kind == "attachment") {
      MetaField f;
      f.source = "attachment (" + source + ")";
      f.key = "attachment";
      f.kind = FieldKind::kBinary;
      f.value = s.attachment_file_name;
      f.media_type = s.attachment_media_type;
      f.blob_size_bytes = s.attachment_size_bytes;
      out.push_back(std::move(f));
      continue;  // its tags are filename/mimetype, already taken
    }
    add_tags(s.tags, source, out);
  }
  for (const auto& ch : c.chapters) {
    Tags tags = ch.tags;
    for (auto& [k, v] : tags) {
      if (k == "title") k = "chapter_title";
    }
    add_tags(tags, "chapter " + std::to_string(ch.index), out);
  }
  for (const auto& p : c.programs) add_tags(p.tags, "program " + std::to_string(p.id), out);
  return out;
}

MetaScanResult scan_metadata(const std::filesystem::path& path, const ContainerMetadata& container,
                             core::FileReader& reader, const MetaScanSettings& settings) {
  MetaScanResult result;
  std::vector<MetaField> fields = fields_from_container(container);
  WalkResult walked = walk_container(reader, settings.max_metadata_bytes);
  fields.insert(fields.end(), std::make_move_iterator(walked.fields.begin()),
                std::make_move_iterator(walked.fields.end()));
  result.issues = std::move(walked.issues);
  result.findings = classify_fields(fields);
  if (settings.inspect_neighbours) {
    for (auto& f : inspect_file_name(path)) result.findings.push_back(std::move(f));
    for (auto& f : inspect_sidecars(path)) result.findings.push_back(std::move(f));
  }
  return result;
}

DetectorDescription describe_meta_detector() {
  DetectorDescription d;
  d.id = "meta";
  d.version = kMetaVersion;
  d.purpose = "Identifying metadata: container tags, MP4/MOV boxes, WAV/RF64 chunks, ID3v2 frames, "
              "XMP, C2PA, attachments, sidecar chat/transcripts and file names.";
  d.finding_ids = {"meta.email", "meta.person", "meta.phone", "meta.gps", "meta.account", "meta.c2pa",
                   "meta.device", "meta.unique_id", "meta.software", "meta.url", "meta.timestamp",
                   "meta.free_text", "meta.other", "meta.blob", "meta.attachment", "meta.embedded_xml",
                   "meta.file_name", "meta.sidecar_chat", "meta.sidecar_transcript"};
  d.parameters = {
      {"inspect_neighbours", "Look at sidecar files beside the input and at its file name", "true", "true|false"},
      {"max_metadata_bytes", "Largest metadata box/chunk loaded into memory", "67108864", "4096..1073741824"},
  };
  return d;
}

DetectorRun meta_detector_run(const MetaScanSettings& settings) {
  return {"meta", kMetaVersion,
          {{"inspect_neighbours", settings.inspect_neighbours ? "true" : "false"},
           {"max_metadata_bytes", std::to_string(settings.max_metadata_bytes)}}};
}

}  // namespace wm::meta
