{
  "targets": [
    {
      "target_name": "scpfs_native",
      "sources": ["native/scpfs_native.c"],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Werror=implicit-function-declaration"]
    }
  ]
}
