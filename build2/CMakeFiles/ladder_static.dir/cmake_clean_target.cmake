file(REMOVE_RECURSE
  "libladder.a"
)
