// Linux system calls that Node's fs module lacks, for the replication engine in src/dataplane.
// They set nanosecond timestamps (utimensat, futimens), read and write user extended attributes
// (l*xattr, f*xattr), find and punch holes (lseek SEEK_DATA and SEEK_HOLE, fallocate), flush a
// file system (syncfs), and list and lstat a whole directory in one call.
//
// Every function but scanDir is synchronous and runs on the calling thread: each wraps one
// metadata system call that does not wait for file data. scanDir runs on the libuv thread pool
// and returns a promise. A failed call throws (or rejects with) an Error with `errno` (positive)
// and `syscall` properties; src/dataplane/native.ts adds the errno name as `code`.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <node_api.h>

#define NS_PER_SECOND 1000000000LL

// Stops the calling function with an exception when a N-API call fails.
#define CHECK_NAPI(env, call)                                                  \
  do {                                                                         \
    if ((call) != napi_ok) {                                                   \
      napi_throw_error((env), NULL, "scpfs_native: invalid argument");         \
      return NULL;                                                             \
    }                                                                          \
  } while (0)

// A path, or a file descriptor when `path` is NULL.
typedef struct {
  char *path;
  int fd;
} target_t;

// Returns an Error for a failed system call, with `errno` and `syscall` properties.
static napi_value errno_error(napi_env env, const char *syscall, int error) {
  char message[256];
  snprintf(message, sizeof(message), "%s failed: %s", syscall, strerror(error));
  napi_value text, err, errno_value, syscall_value;
  napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &text);
  napi_create_error(env, NULL, text, &err);
  napi_create_int32(env, error, &errno_value);
  napi_set_named_property(env, err, "errno", errno_value);
  napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &syscall_value);
  napi_set_named_property(env, err, "syscall", syscall_value);
  return err;
}

static napi_value throw_errno(napi_env env, const char *syscall, int error) {
  napi_throw(env, errno_error(env, syscall, error));
  return NULL;
}

static napi_value get_args(napi_env env, napi_callback_info info, size_t expected,
                           napi_value *args) {
  size_t count = expected;
  if (napi_get_cb_info(env, info, &count, args, NULL, NULL) != napi_ok || count < expected) {
    napi_throw_type_error(env, NULL, "scpfs_native: missing arguments");
    return NULL;
  }
  return args[0];
}

// Copies a Buffer argument into a new NUL-terminated string, which the caller frees.
static char *buffer_to_cstring(napi_env env, napi_value value) {
  void *data;
  size_t length;
  if (napi_get_buffer_info(env, value, &data, &length) != napi_ok) {
    napi_throw_type_error(env, NULL, "scpfs_native: expected a Buffer");
    return NULL;
  }
  if (memchr(data, 0, length) != NULL) {
    napi_throw_type_error(env, NULL, "scpfs_native: a path or name contains a NUL byte");
    return NULL;
  }
  char *text = malloc(length + 1);
  if (text == NULL) {
    napi_throw_error(env, NULL, "scpfs_native: out of memory");
    return NULL;
  }
  memcpy(text, data, length);
  text[length] = '\0';
  return text;
}

// Reads a path (Buffer) or file descriptor (number) argument.
static int get_target(napi_env env, napi_value value, target_t *target) {
  napi_valuetype type;
  napi_typeof(env, value, &type);
  target->path = NULL;
  target->fd = -1;
  if (type == napi_number) return napi_get_value_int32(env, value, &target->fd) == napi_ok;
  target->path = buffer_to_cstring(env, value);
  return target->path != NULL;
}

static int get_int64(napi_env env, napi_value value, int64_t *result) {
  if (napi_get_value_int64(env, value, result) == napi_ok) return 1;
  napi_throw_type_error(env, NULL, "scpfs_native: expected a number");
  return 0;
}

static int get_bigint_timespec(napi_env env, napi_value value, struct timespec *time) {
  int64_t ns;
  bool lossless;
  if (napi_get_value_bigint_int64(env, value, &ns, &lossless) != napi_ok || !lossless) {
    napi_throw_type_error(env, NULL, "scpfs_native: expected a bigint of nanoseconds");
    return 0;
  }
  int64_t seconds = ns / NS_PER_SECOND;
  int64_t rest = ns % NS_PER_SECOND;
  if (rest < 0) {
    rest += NS_PER_SECOND;
    seconds -= 1;
  }
  time->tv_sec = (time_t)seconds;
  time->tv_nsec = (long)rest;
  return 1;
}

static napi_value undefined_value(napi_env env) {
  napi_value result;
  napi_get_undefined(env, &result);
  return result;
}

// utimens(path: Buffer, atimeNs: bigint, mtimeNs: bigint): sets both times without following a
// final symlink (utimensat with AT_SYMLINK_NOFOLLOW).
static napi_value utimens(napi_env env, napi_callback_info info) {
  napi_value args[3];
  if (get_args(env, info, 3, args) == NULL) return NULL;
  struct timespec times[2];
  if (!get_bigint_timespec(env, args[1], &times[0])) return NULL;
  if (!get_bigint_timespec(env, args[2], &times[1])) return NULL;
  char *path = buffer_to_cstring(env, args[0]);
  if (path == NULL) return NULL;
  int rc = utimensat(AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW);
  int error = errno;
  free(path);
  if (rc != 0) return throw_errno(env, "utimensat", error);
  return undefined_value(env);
}

// futimens(fd: number, atimeNs: bigint, mtimeNs: bigint).
static napi_value futimens_fd(napi_env env, napi_callback_info info) {
  napi_value args[3];
  if (get_args(env, info, 3, args) == NULL) return NULL;
  int fd;
  CHECK_NAPI(env, napi_get_value_int32(env, args[0], &fd));
  struct timespec times[2];
  if (!get_bigint_timespec(env, args[1], &times[0])) return NULL;
  if (!get_bigint_timespec(env, args[2], &times[1])) return NULL;
  if (futimens(fd, times) != 0) return throw_errno(env, "futimens", errno);
  return undefined_value(env);
}

static ssize_t list_names(const target_t *target, char *buffer, size_t size) {
  if (target->path == NULL) return flistxattr(target->fd, buffer, size);
  return llistxattr(target->path, buffer, size);
}

static ssize_t get_value(const target_t *target, const char *name, void *buffer, size_t size) {
  if (target->path == NULL) return fgetxattr(target->fd, name, buffer, size);
  return lgetxattr(target->path, name, buffer, size);
}

// Calls `read` with a buffer that grows until the result fits and returns it as a Buffer.
// `read` follows the xattr calling convention: with size 0 it returns the size needed.
typedef ssize_t (*xattr_read_fn)(const target_t *, const char *, char *, size_t);

static ssize_t read_names_adapter(const target_t *target, const char *unused, char *buffer,
                                  size_t size) {
  (void)unused;
  return list_names(target, buffer, size);
}

static ssize_t read_value_adapter(const target_t *target, const char *name, char *buffer,
                                  size_t size) {
  return get_value(target, name, buffer, size);
}

static napi_value read_growing(napi_env env, const target_t *target, const char *name,
                               xattr_read_fn read, const char *syscall) {
  for (int attempt = 0; attempt < 8; attempt++) {
    ssize_t needed = read(target, name, NULL, 0);
    if (needed < 0) return throw_errno(env, syscall, errno);
    char *buffer = malloc(needed > 0 ? (size_t)needed : 1);
    if (buffer == NULL) {
      napi_throw_error(env, NULL, "scpfs_native: out of memory");
      return NULL;
    }
    ssize_t length = read(target, name, buffer, (size_t)needed);
    if (length < 0 && errno == ERANGE) {
      free(buffer);
      continue;
    }
    if (length < 0) {
      int error = errno;
      free(buffer);
      return throw_errno(env, syscall, error);
    }
    napi_value result;
    napi_status status = napi_create_buffer_copy(env, (size_t)length, buffer, NULL, &result);
    free(buffer);
    CHECK_NAPI(env, status);
    return result;
  }
  return throw_errno(env, syscall, ERANGE);
}

// listXattrs(target: Buffer | number): Buffer of NUL-terminated attribute names, symlinks not
// followed.
static napi_value list_xattrs(napi_env env, napi_callback_info info) {
  napi_value args[1];
  if (get_args(env, info, 1, args) == NULL) return NULL;
  target_t target;
  if (!get_target(env, args[0], &target)) return NULL;
  napi_value result = read_growing(env, &target, NULL, read_names_adapter,
                                   target.path == NULL ? "flistxattr" : "llistxattr");
  free(target.path);
  return result;
}

// getXattr(target: Buffer | number, name: Buffer): Buffer.
static napi_value get_xattr(napi_env env, napi_callback_info info) {
  napi_value args[2];
  if (get_args(env, info, 2, args) == NULL) return NULL;
  char *name = buffer_to_cstring(env, args[1]);
  if (name == NULL) return NULL;
  target_t target;
  if (!get_target(env, args[0], &target)) {
    free(name);
    return NULL;
  }
  napi_value result = read_growing(env, &target, name, read_value_adapter,
                                   target.path == NULL ? "fgetxattr" : "lgetxattr");
  free(name);
  free(target.path);
  return result;
}

// setXattr(target: Buffer | number, name: Buffer, value: Buffer): creates or replaces.
static napi_value set_xattr(napi_env env, napi_callback_info info) {
  napi_value args[3];
  if (get_args(env, info, 3, args) == NULL) return NULL;
  void *value;
  size_t length;
  CHECK_NAPI(env, napi_get_buffer_info(env, args[2], &value, &length));
  char *name = buffer_to_cstring(env, args[1]);
  if (name == NULL) return NULL;
  target_t target;
  if (!get_target(env, args[0], &target)) {
    free(name);
    return NULL;
  }
  int rc = target.path == NULL ? fsetxattr(target.fd, name, value, length, 0)
                               : lsetxattr(target.path, name, value, length, 0);
  int error = errno;
  free(name);
  free(target.path);
  if (rc != 0) return throw_errno(env, target.path == NULL ? "fsetxattr" : "lsetxattr", error);
  return undefined_value(env);
}

// removeXattr(target: Buffer | number, name: Buffer).
static napi_value remove_xattr(napi_env env, napi_callback_info info) {
  napi_value args[2];
  if (get_args(env, info, 2, args) == NULL) return NULL;
  char *name = buffer_to_cstring(env, args[1]);
  if (name == NULL) return NULL;
  target_t target;
  if (!get_target(env, args[0], &target)) {
    free(name);
    return NULL;
  }
  int by_fd = target.path == NULL;
  int rc = by_fd ? fremovexattr(target.fd, name) : lremovexattr(target.path, name);
  int error = errno;
  free(name);
  free(target.path);
  if (rc != 0) return throw_errno(env, by_fd ? "fremovexattr" : "lremovexattr", error);
  return undefined_value(env);
}

// Shared body of seekData and seekHole: returns the offset, or -1 when lseek reports ENXIO
// (no data, or no hole, at or after `offset`).
static napi_value seek(napi_env env, napi_callback_info info, int whence) {
  napi_value args[2];
  if (get_args(env, info, 2, args) == NULL) return NULL;
  int fd;
  int64_t offset;
  CHECK_NAPI(env, napi_get_value_int32(env, args[0], &fd));
  if (!get_int64(env, args[1], &offset)) return NULL;
  off_t found = lseek(fd, (off_t)offset, whence);
  if (found < 0 && errno != ENXIO) return throw_errno(env, "lseek", errno);
  napi_value result;
  CHECK_NAPI(env, napi_create_int64(env, found < 0 ? -1 : (int64_t)found, &result));
  return result;
}

// seekData(fd: number, offset: number): start of the next data region, or -1.
static napi_value seek_data(napi_env env, napi_callback_info info) {
  return seek(env, info, SEEK_DATA);
}

// seekHole(fd: number, offset: number): start of the next hole (the file size at the end), or -1.
static napi_value seek_hole(napi_env env, napi_callback_info info) {
  return seek(env, info, SEEK_HOLE);
}

// punchHole(fd: number, offset: number, length: number): deallocates the range, keeping the size.
static napi_value punch_hole(napi_env env, napi_callback_info info) {
  napi_value args[3];
  if (get_args(env, info, 3, args) == NULL) return NULL;
  int fd;
  int64_t offset, length;
  CHECK_NAPI(env, napi_get_value_int32(env, args[0], &fd));
  if (!get_int64(env, args[1], &offset) || !get_int64(env, args[2], &length)) return NULL;
  int mode = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE;
  if (fallocate(fd, mode, (off_t)offset, (off_t)length) != 0)
    return throw_errno(env, "fallocate", errno);
  return undefined_value(env);
}

// syncfs(fd: number): flushes the whole file system that contains fd.
static napi_value sync_fs(napi_env env, napi_callback_info info) {
  napi_value args[1];
  if (get_args(env, info, 1, args) == NULL) return NULL;
  int fd;
  CHECK_NAPI(env, napi_get_value_int32(env, args[0], &fd));
  if (syncfs(fd) != 0) return throw_errno(env, "syncfs", errno);
  return undefined_value(env);
}

// ---------------------------------------------------------------------------------------------
// scanDir(path: Buffer): Promise<Buffer>
//
// Opens the directory without following a final symlink, reads all its entries and lstats each
// one (fstatat with AT_SYMLINK_NOFOLLOW), reading symlink targets. Entries that vanish between
// readdir and fstatat are left out. The result holds one record per entry, little-endian:
//   u8 status (0 stat, 1 error), u16 name length, name bytes, then
//   for status 0: u32 st_mode, u32 uid, u32 gid, u32 nlink, i64 size, i64 blocks, u64 dev,
//     u64 ino, then atime, mtime and ctime each as i64 seconds and u32 nanoseconds, then
//     u32 symlink target length and the target bytes (length 0 for other types);
//   for status 1: i32 errno of the failed fstatat or readlinkat.
// Linux symlink targets are at most 4095 bytes (PATH_MAX less the NUL), so one buffer fits.
typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  char *path;
  char *out;
  size_t length;
  size_t capacity;
  int error;
  const char *syscall;
} scan_t;

static int scan_reserve(scan_t *scan, size_t count) {
  if (scan->length + count <= scan->capacity) return 1;
  size_t capacity = scan->capacity == 0 ? 65536 : scan->capacity;
  while (capacity < scan->length + count) capacity *= 2;
  char *grown = realloc(scan->out, capacity);
  if (grown == NULL) return 0;
  scan->out = grown;
  scan->capacity = capacity;
  return 1;
}

static void scan_put(scan_t *scan, const void *data, size_t count) {
  memcpy(scan->out + scan->length, data, count);
  scan->length += count;
}

#define SCAN_PUT_VALUE(scan, type, value) \
  do {                                    \
    type v_ = (type)(value);              \
    scan_put((scan), &v_, sizeof(v_));    \
  } while (0)

static void scan_put_time(scan_t *scan, const struct timespec *time) {
  SCAN_PUT_VALUE(scan, int64_t, time->tv_sec);
  SCAN_PUT_VALUE(scan, uint32_t, time->tv_nsec);
}

// Appends an error record for `name`. Returns 0 when memory ran out.
static int scan_error(scan_t *scan, const char *name, int error) {
  size_t name_length = strlen(name);
  if (!scan_reserve(scan, 3 + name_length + 4)) return 0;
  SCAN_PUT_VALUE(scan, uint8_t, 1);
  SCAN_PUT_VALUE(scan, uint16_t, name_length);
  scan_put(scan, name, name_length);
  SCAN_PUT_VALUE(scan, int32_t, error);
  return 1;
}

// Appends one entry. Returns 0 when memory ran out.
static int scan_entry(scan_t *scan, int dir_fd, const char *name) {
  struct stat st;
  if (fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
    return errno == ENOENT ? 1 : scan_error(scan, name, errno);
  }
  char target[4096];
  ssize_t target_length = 0;
  if (S_ISLNK(st.st_mode)) {
    target_length = readlinkat(dir_fd, name, target, sizeof(target));
    if (target_length < 0) return errno == ENOENT ? 1 : scan_error(scan, name, errno);
  }
  size_t name_length = strlen(name);
  if (!scan_reserve(scan, 3 + name_length + 88 + (size_t)target_length)) return 0;
  SCAN_PUT_VALUE(scan, uint8_t, 0);
  SCAN_PUT_VALUE(scan, uint16_t, name_length);
  scan_put(scan, name, name_length);
  SCAN_PUT_VALUE(scan, uint32_t, st.st_mode);
  SCAN_PUT_VALUE(scan, uint32_t, st.st_uid);
  SCAN_PUT_VALUE(scan, uint32_t, st.st_gid);
  SCAN_PUT_VALUE(scan, uint32_t, st.st_nlink);
  SCAN_PUT_VALUE(scan, int64_t, st.st_size);
  SCAN_PUT_VALUE(scan, int64_t, st.st_blocks);
  SCAN_PUT_VALUE(scan, uint64_t, st.st_dev);
  SCAN_PUT_VALUE(scan, uint64_t, st.st_ino);
  scan_put_time(scan, &st.st_atim);
  scan_put_time(scan, &st.st_mtim);
  scan_put_time(scan, &st.st_ctim);
  SCAN_PUT_VALUE(scan, uint32_t, target_length);
  scan_put(scan, target, (size_t)target_length);
  return 1;
}

static void scan_execute(napi_env env, void *data) {
  (void)env;
  scan_t *scan = data;
  int fd = open(scan->path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    scan->error = errno;
    scan->syscall = "open";
    return;
  }
  DIR *dir = fdopendir(fd);
  if (dir == NULL) {
    scan->error = errno;
    scan->syscall = "fdopendir";
    close(fd);
    return;
  }
  for (;;) {
    errno = 0;
    struct dirent *entry = readdir(dir);
    if (entry == NULL) {
      if (errno != 0) {
        scan->error = errno;
        scan->syscall = "readdir";
      }
      break;
    }
    if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) continue;
    if (!scan_entry(scan, fd, entry->d_name)) {
      scan->error = ENOMEM;
      scan->syscall = "scan";
      break;
    }
  }
  closedir(dir);
}

static void scan_complete(napi_env env, napi_status status, void *data) {
  scan_t *scan = data;
  if (status != napi_ok && scan->error == 0) {
    scan->error = ECANCELED;
    scan->syscall = "scan";
  }
  if (scan->error != 0) {
    napi_reject_deferred(env, scan->deferred, errno_error(env, scan->syscall, scan->error));
  } else {
    napi_value result;
    const char *bytes = scan->out == NULL ? "" : scan->out;
    if (napi_create_buffer_copy(env, scan->length, bytes, NULL, &result) == napi_ok) {
      napi_resolve_deferred(env, scan->deferred, result);
    } else {
      napi_reject_deferred(env, scan->deferred, errno_error(env, "scan", ENOMEM));
    }
  }
  napi_delete_async_work(env, scan->work);
  free(scan->path);
  free(scan->out);
  free(scan);
}

static napi_value scan_dir(napi_env env, napi_callback_info info) {
  napi_value args[1];
  if (get_args(env, info, 1, args) == NULL) return NULL;
  scan_t *scan = calloc(1, sizeof(scan_t));
  if (scan == NULL) {
    napi_throw_error(env, NULL, "scpfs_native: out of memory");
    return NULL;
  }
  scan->path = buffer_to_cstring(env, args[0]);
  if (scan->path == NULL) {
    free(scan);
    return NULL;
  }
  napi_value promise, name;
  napi_create_promise(env, &scan->deferred, &promise);
  napi_create_string_utf8(env, "scpfs_scan_dir", NAPI_AUTO_LENGTH, &name);
  napi_create_async_work(env, NULL, name, scan_execute, scan_complete, scan, &scan->work);
  napi_queue_async_work(env, scan->work);
  return promise;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor properties[] = {
      {"utimens", NULL, utimens, NULL, NULL, NULL, napi_default, NULL},
      {"futimens", NULL, futimens_fd, NULL, NULL, NULL, napi_default, NULL},
      {"listXattrs", NULL, list_xattrs, NULL, NULL, NULL, napi_default, NULL},
      {"getXattr", NULL, get_xattr, NULL, NULL, NULL, napi_default, NULL},
      {"setXattr", NULL, set_xattr, NULL, NULL, NULL, napi_default, NULL},
      {"removeXattr", NULL, remove_xattr, NULL, NULL, NULL, napi_default, NULL},
      {"seekData", NULL, seek_data, NULL, NULL, NULL, napi_default, NULL},
      {"seekHole", NULL, seek_hole, NULL, NULL, NULL, napi_default, NULL},
      {"punchHole", NULL, punch_hole, NULL, NULL, NULL, napi_default, NULL},
      {"syncfs", NULL, sync_fs, NULL, NULL, NULL, napi_default, NULL},
      {"scanDir", NULL, scan_dir, NULL, NULL, NULL, napi_default, NULL},
  };
  size_t count = sizeof(properties) / sizeof(properties[0]);
  if (napi_define_properties(env, exports, count, properties) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
