# model-rollout-operator: the two commands of README.md, and a few helpers.
SHELL := /bin/bash

.PHONY: demo test control-plane down crds build

# The operator's main job, end to end on a local control plane: see hack/demo.sh.
demo:
	bash hack/demo.sh

# Every test: builds the control-plane binaries once (cached), then unit and API-server tests.
test: control-plane
	./mvnw -B verify

control-plane:
	bash hack/k8s-local.sh build

down:
	bash hack/k8s-local.sh down

crds:
	bash hack/update-crds.sh

build:
	./mvnw -B package -DskipTests
