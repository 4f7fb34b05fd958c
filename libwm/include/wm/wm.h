/* The C API of libwm: scan recordings for identifying marks from C or any language with a C
 * foreign-function interface (Python ctypes, Go cgo, Rust, ...).
 *
 * It is a thin layer over the C++ API (wm/scan.h, wm/write.h): the same scans, the same
 * report, delivered as one JSON object (the layout of one entry of "files" in
 * docs/report.schema.json: schema_version, path, status, complete, streams, findings,
 * not_checked, errors, detectors).
 *
 * Conventions
 *  - Every fallible function returns a wm_status; WM_STATUS_OK (0) is success. On failure
 *    wm_last_error() gives a message naming what failed.
 *  - Strings going in are UTF-8 and NUL-terminated; they are only read during the call.
 *  - Strings coming out (char** out parameters) belong to the caller, who frees them with
 *    wm_string_free(). On failure the out pointer is set to NULL.
 *  - No C++ exception ever leaves these functions; an unexpected failure is
 *    WM_STATUS_INTERNAL.
 *  - A report is produced even when a scan stops early (cancelled, broken file): then its
 *    "complete" is false and "status" is "partial". Absence of findings in such a report
 *    proves nothing.
 *
 * Threading (the C++ contract at the top of wm/scan.h applies; tested in
 * tests/unit/scan/threading_test.cpp and, through this API from several Python threads, in
 * tests/python/test_ctypes.py):
 *  - every function may be called from any thread, and many scans and sessions may run at
 *    once in one process, each with its own options; results equal those of serial scans;
 *  - one wm_session is used by one thread at a time;
 *  - callbacks run synchronously on the thread that called wm_scan_file, never after it
 *    returns; they must not unwind (longjmp, C++ exceptions) through the library; state they
 *    share with other threads (a cancel flag) is the host's to synchronise;
 *  - wm_last_error() is per thread;
 *  - FFmpeg's process-wide log callback is left alone (FFmpeg's default prints to stderr).
 *
 * Options JSON (options_json may be NULL or "" for the defaults), all keys optional:
 *   {
 *     "detectors": ["meta", "audio"],        families to run; absent or [] = all built
 *     "inspect_neighbours": true,            look at sidecar files and the file name
 *     "parameters": {"meta.max_metadata_bytes": "65536"},   per-detector tunables
 *     "max_metadata_bytes": 67108864,        largest metadata box/chunk loaded
 *     "show_values": false                   put personal values in the JSON instead of
 *                                            "[redacted]"
 *   }
 * An unknown key or a value of the wrong type is WM_STATUS_INVALID_ARGUMENT. */
#ifndef WM_WM_H_
#define WM_WM_H_

#include <stddef.h>
#include <stdint.h>

#include "wm/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Same meanings and values as wm::StatusCode (wm/status.h). */
typedef enum wm_status {
  WM_STATUS_OK = 0,
  WM_STATUS_INVALID_ARGUMENT = 1, /* unusable argument: NULL pointer, bad option, bad view */
  WM_STATUS_NOT_FOUND = 2,        /* the input does not exist */
  WM_STATUS_UNSUPPORTED = 3,      /* not media this build can open */
  WM_STATUS_CORRUPT_INPUT = 4,    /* media whose structure is broken */
  WM_STATUS_IO_ERROR = 5,         /* reading failed (permissions, a directory, ...) */
  WM_STATUS_CANCELLED = 6,        /* the host cancelled the work */
  WM_STATUS_LIMIT_EXCEEDED = 7,   /* a guard against absurd input tripped */
  WM_STATUS_INTERNAL = 8          /* a bug or an unexpected failure (also: out of memory) */
} wm_status;

/* Progress: `fraction` in [0, 1], never decreasing within one scan; `stage` names the phase
 * ("open", "metadata", "media", "analysis", "done") and is only valid during the call. Calls
 * arrive in order and are throttled: one only when the stage changes or the fraction grew by
 * at least 0.01, so at most ~105 per scan. When a report is returned the last call is
 * (1.0, "done"). */
typedef void (*wm_progress_fn)(void* user, double fraction, const char* stage);

/* Polled during the scan (before every packet and inside the long final analyses); return
 * nonzero to stop it. The scan stops within 250 ms of work and returns WM_STATUS_OK with a
 * report whose "complete" is false and "status" "partial". The first nonzero answer is
 * final: the callback is not called again during that scan. */
typedef int (*wm_cancel_fn)(void* user);

/* Callbacks for wm_scan_file; any member may be NULL. `user` is passed back unchanged. */
typedef struct wm_hooks {
  wm_progress_fn on_progress;
  wm_cancel_fn is_cancelled;
  void* user;
} wm_hooks;

/* The library version ("0.1.0"); a static string, never freed. */
WM_EXPORT const char* wm_version_string(void);

/* Stable lower-case name of a status ("not_found"); a static string, never freed. */
WM_EXPORT const char* wm_status_name(wm_status status);

/* The message of the last failed call on this thread ("" if none). Valid until the next
 * wm_* call on this thread; never freed by the caller. */
WM_EXPORT const char* wm_last_error(void);

/* Frees a string returned by this library. NULL is allowed. */
WM_EXPORT void wm_string_free(char* text);

/* Scans the file at `path` (read-only; nothing is written beside it). `hooks` may be NULL.
 * On WM_STATUS_OK, *out_report_json is the report (free it with wm_string_free). A file that
 * cannot be opened as media is an error status, not a report. */
WM_EXPORT wm_status wm_scan_file(const char* path, const char* options_json, const wm_hooks* hooks,
                                 char** out_report_json);

/* ---- push mode: for hosts that decode by themselves ------------------------------------ */

typedef struct wm_session wm_session; /* opaque */

typedef struct wm_stream_info {
  const char* name; /* what the report calls the input ("live capture"); may be NULL */
  int has_audio;    /* nonzero if feed_audio will be called */
  int sample_rate_hz;
  int channels;
  int has_video; /* nonzero if feed_video will be called */
  int width;     /* pixels */
  int height;
} wm_stream_info;

typedef enum wm_pixel_format {
  WM_PIXEL_FORMAT_GRAY8 = 0,
  WM_PIXEL_FORMAT_BGR24 = 1,
  WM_PIXEL_FORMAT_RGB24 = 2
} wm_pixel_format;

/* Call order: create, then any mix of feed_audio / feed_video / add_metadata, then finish
 * once, then destroy (destroy is also fine without finish, and after a failed call). */
WM_EXPORT wm_status wm_session_create(const wm_stream_info* info, const char* options_json,
                                      wm_session** out_session);

/* `frames` multi-channel sample frames (frames, not samples) of interleaved float32:
 * `interleaved` holds frames * channels values. `pts_s` is the time of the first frame. */
WM_EXPORT wm_status wm_session_feed_audio(wm_session* session, const float* interleaved, size_t frames,
                                          int channels, double pts_s);

/* One frame of `height` rows, `stride_bytes` apart. */
WM_EXPORT wm_status wm_session_feed_video(wm_session* session, const uint8_t* pixels, int width, int height,
                                          int stride_bytes, wm_pixel_format format, double pts_s);

/* One metadata field the host read ("artist" = "Jane Doe"). */
WM_EXPORT wm_status wm_session_add_metadata(wm_session* session, const char* key, const char* value);

/* Ends the session and returns the report as JSON (free with wm_string_free). `options_json`
 * of create decides "show_values". A second finish is WM_STATUS_INVALID_ARGUMENT. */
WM_EXPORT wm_status wm_session_finish(wm_session* session, char** out_report_json);

/* Frees the session. NULL is allowed. */
WM_EXPORT void wm_session_destroy(wm_session* session);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* WM_WM_H_ */
