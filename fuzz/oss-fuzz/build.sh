#!/bin/bash -eu
# projects/libmtrr/build.sh in the OSS-Fuzz repository: the same build as
# .clusterfuzzlite/build.sh, through the script the project keeps in its
# own tree, so both services build exactly what fuzz/ossfuzz.sh builds.
"$SRC/libmtrr/fuzz/ossfuzz.sh"
