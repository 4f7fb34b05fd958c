/* A host written in C that uses the installed libwm through the C API (wm/wm.h) only.
 * Usage: consumer_c FILE - prints the report JSON; exit 0 if the scan produced a report. */
#include <stdio.h>

#include "wm/wm.h"

static void on_progress(void* user, double fraction, const char* stage) {
  (void)user;
  fprintf(stderr, "progress %.2f %s\n", fraction, stage);
}

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s FILE\n", argv[0]);
    return 2;
  }
  wm_hooks hooks = {on_progress, NULL, NULL};
  char* report = NULL;
  wm_status status = wm_scan_file(argv[1], "{\"inspect_neighbours\": false}", &hooks, &report);
  if (status != WM_STATUS_OK) {
    fprintf(stderr, "%s: %s\n", wm_status_name(status), wm_last_error());
    return 1;
  }
  printf("%s\n", report);
  wm_string_free(report);
  return 0;
}
