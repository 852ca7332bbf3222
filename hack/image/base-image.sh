#!/usr/bin/env bash
# hack/image/base-image.sh: the operator image's base for machines that cannot pull one.
#
# Builds a Debian 12 root filesystem with openjdk-17-jre-headless from Debian's packages
# (mmdebstrap, no container engine) and wraps it as a docker-archive tarball, the format Jib reads
# as a `tar://` base image. Built once per machine and cached under $MRO_CACHE/image; prints the
# tarball's path. Usage: base-image.sh [tar:///path/to/base.tar] (another kind of base image, which
# Jib pulls itself, is left alone). Users who can pull images use a standard JRE 17 image instead
# (see README).
set -euo pipefail

MRO_CACHE=${MRO_CACHE:-$HOME/.cache/model-rollout-operator}
# The base image Jib is given: only a tar:// one is built here (a registry image is pulled by Jib).
BASE=${1:-tar://$MRO_CACHE/image/debian12-jre17.tar}
if [[ $BASE != tar://* ]]; then
  exit 0
fi
OUT=${BASE#tar://}
SUITE=bookworm
OPERATOR_UID=10001

log() { printf '[base-image] %s\n' "$*" >&2; }

if [[ -f $OUT ]]; then
  echo "$OUT"
  exit 0
fi
command -v mmdebstrap >/dev/null || {
  log "mmdebstrap is missing: apt-get install mmdebstrap (or build without -Pimage)"
  exit 1
}
# The machine's own apt sources (deb822 or one-line format): the same mirror apt-get uses here.
sources=${MRO_APT_SOURCES:-}
if [[ -z $sources ]]; then
  for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list; do
    if [[ -s $f ]] && grep -qv '^\s*#' "$f"; then
      sources=$f
      break
    fi
  done
fi
[[ -n $sources ]] || { log "no apt sources file found; set MRO_APT_SOURCES"; exit 1; }

start=$SECONDS
work=$(mktemp -d "${TMPDIR:-/tmp}/mro-base.XXXXXX")
trap 'rm -rf "$work"' EXIT
log "building a $SUITE root filesystem with openjdk-17-jre-headless (sources: $sources)"
# Docs, man pages and translations are left out (openjdk's postinst still needs the man1 directory
# for its alternatives); the non-root user the image runs as gets a passwd entry so that Java finds
# a user name and a home.
mmdebstrap --variant=essential --include=ca-certificates,openjdk-17-jre-headless \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' --setup-hook='mkdir -p "$1/usr/share/man/man1"' \
  --customize-hook="echo 'operator:x:$OPERATOR_UID:$OPERATOR_UID:model-rollout-operator:/tmp:/usr/sbin/nologin' >> \"\$1/etc/passwd\"" \
  --customize-hook="echo 'operator:x:$OPERATOR_UID:' >> \"\$1/etc/group\"" \
  --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/* "$1"/var/log/*' \
  --quiet "$SUITE" "$work/layer.tar" "$sources"

# docker-archive: manifest.json, the image config and one uncompressed layer tarball.
diff_id=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
mkdir -p "$work/image/$diff_id"
mv "$work/layer.tar" "$work/image/$diff_id/layer.tar"
created=$(date -u +%Y-%m-%dT%H:%M:%SZ)
cat >"$work/config.json" <<JSON
{"architecture":"amd64","os":"linux","created":"$created",
 "config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","LANG=C.UTF-8"],"Cmd":["/bin/sh"]},
 "rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},
 "history":[{"created":"$created","created_by":"mmdebstrap --variant=essential --include=ca-certificates,openjdk-17-jre-headless $SUITE"}]}
JSON
config_id=$(sha256sum "$work/config.json" | cut -d' ' -f1)
mv "$work/config.json" "$work/image/$config_id.json"
printf '[{"Config":"%s.json","RepoTags":["model-rollout-operator-base:debian12-jre17"],"Layers":["%s/layer.tar"]}]\n' \
  "$config_id" "$diff_id" >"$work/image/manifest.json"
mkdir -p "$(dirname "$OUT")"
# entries without a leading ./ (Jib refuses to unpack a "./" entry)
(cd "$work/image" && tar -cf "$OUT.tmp" manifest.json "$config_id.json" "$diff_id")
mv "$OUT.tmp" "$OUT"
log "built $OUT ($(du -h "$OUT" | cut -f1)) in $((SECONDS - start)) s"
echo "$OUT"
