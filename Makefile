# model-rollout-operator: the two commands of README.md, and a few helpers.
SHELL := /bin/bash

.PHONY: demo test control-plane down crds build image bench

# The operator image is built and smoke-tested when mmdebstrap (its base image) is installed.
IMAGE_PROFILE := $(shell command -v mmdebstrap >/dev/null 2>&1 && echo -Pimage)

# The operator's main job, end to end on a local control plane: see hack/demo.sh.
demo:
	bash hack/demo.sh

# Every test: builds the control-plane binaries once (cached), then unit and API-server tests,
# the Helm chart on a real API server, and the image (see IMAGE_PROFILE).
test: control-plane
	./mvnw -B verify $(IMAGE_PROFILE)

control-plane:
	bash hack/k8s-local.sh build

down:
	bash hack/k8s-local.sh down

crds:
	bash hack/update-crds.sh

build:
	./mvnw -B package -DskipTests

# The operator image: target/model-rollout-operator-image.tar (README: Install with Helm).
image:
	./mvnw -B package -DskipTests -Pimage

# The benchmark (not part of make test): make bench, or make bench ARGS="--sizes 50 --reaction 3 --gates 50".
bench:
	bash hack/bench.sh $(ARGS)
