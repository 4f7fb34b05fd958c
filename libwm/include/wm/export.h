/* WM_EXPORT marks a declaration as part of libwm's public ABI.
 *
 * libwm is compiled with -fvisibility=hidden and -fvisibility-inlines-hidden, so only
 * declarations carrying WM_EXPORT are visible outside libwm.so; everything else stays
 * internal and may change without breaking hosts. In the static library the marker changes
 * nothing. This header is valid C and C++ (wm/wm.h includes it) and needs only the compiler. */
#ifndef WM_EXPORT_H_
#define WM_EXPORT_H_

#if defined(__GNUC__) || defined(__clang__)
#define WM_EXPORT __attribute__((visibility("default")))
#else
#define WM_EXPORT
#endif

#endif /* WM_EXPORT_H_ */
