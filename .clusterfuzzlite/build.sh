#!/bin/bash -eu
# ClusterFuzzLite (and OSS-Fuzz) build script.  The service runs it in the
# image of ./Dockerfile with $CC $CXX $CFLAGS $CXXFLAGS $LIB_FUZZING_ENGINE
# $SRC $OUT (and $WORK) set for the engine and sanitizer it wants.  The work
# is done by the project's own fuzz/ossfuzz.sh, which builds every
# fuzz/*_fuzzer.c against the library into $OUT/<name>, with
# <name>_seed_corpus.zip and <name>.dict beside it.
"$SRC/libmtrr/fuzz/ossfuzz.sh"
