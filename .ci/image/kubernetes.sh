# shellcheck shell=bash
# Offline validation of docker/kubernetes/*.yaml with schemas that ship inside npm packages (nothing is
# downloaded at validation time): kubernetes-models checks types, enums and required fields against the
# Kubernetes OpenAPI schema; @kubernetes/client-node's typed models catch unknown (misspelt) fields. The
# validator is validate-kubernetes.mjs, next to this file.
# The grace period against drain delay + drain timeout is checked here too (an edited copy breaks it).
# What the manifests must agree on with the server (ports, probes, drain vs grace, env) is a unit test:
# server/src/test/java/io/echoack/server/deploy/KubernetesManifestTest.java, in mvn verify.
# Needs: W, ROOT. Sets: NPM_PID (while npm runs).

# start_npm_install: the packages, fetched in the background while the image builds
start_npm_install() {
    mkdir -p "$W/k8s"
    NPM_PID=
    if command -v npm >/dev/null 2>&1; then
        echo '{"private":true,"type":"module"}' >"$W/k8s/package.json"
        timeout 240 npm install --prefix "$W/k8s" --silent --no-audit --no-fund \
            kubernetes-models@5.1.0 @kubernetes/client-node@1.4.0 yaml@2.9.1 >"$W/npm.log" 2>&1 &
        NPM_PID=$!
    fi
}

validate_kubernetes() {
    # next to the packages it imports (Node resolves them from the script's directory)
    mkdir -p "$W/k8s" && cp "$ROOT/.ci/image/validate-kubernetes.mjs" "$W/k8s/validate.mjs"
    local npm_rc=1
    if [[ -n $NPM_PID ]]; then wait "$NPM_PID"; npm_rc=$?; NPM_PID=; fi
    if ! command -v npm >/dev/null 2>&1; then
        fail "kubernetes manifests: schema validation" "npm not found"
    elif ((npm_rc == 0)); then
        # broken copies must be refused, or the validator checks nothing
        broken() { # NAME SED-EXPRESSION EXPECTED-ERROR [MANIFEST, default deployment.yaml]
            sed -e "$2" "docker/kubernetes/${4:-deployment.yaml}" >"$W/k8s/$1.yaml"
            ! (cd "$W/k8s" && node validate.mjs "$W/k8s/$1.yaml") >"$W/k8s/$1.log" 2>&1 && grep -q "$3" "$W/k8s/$1.log"
        }
        if broken misspelt 's/readOnlyRootFilesystem/readOnlyRootFileSystem/' 'readOnlyRootFileSystem: unknown field' \
            && broken enum 's/protocol: UDP/protocol: UPD/' 'protocol must be equal to one of the allowed values' \
            && broken type 's/containerPort: 9090/containerPort: nine/' 'containerPort must be integer' \
            && broken grace 's/terminationGracePeriodSeconds: 30/terminationGracePeriodSeconds: 20/' \
                'terminationGracePeriodSeconds 20 is not above drain delay' \
            && broken job-misspelt 's/backoffLimitPerIndex:/backoffLimitsPerIndex:/' \
                'backoffLimitsPerIndex: unknown field' bench-job.yaml \
            && broken job-enum 's/completionMode: Indexed/completionMode: Index/' \
                'completionMode must be equal to one of the allowed values' bench-job.yaml; then
            pass "kubernetes validator refuses broken manifests (misspelt field, bad enum, wrong type, grace period below drain delay + drain timeout; the bench Job's fields)"
        else
            fail "kubernetes validator refuses broken manifests" "$(cat "$W"/k8s/*.log | tr '\n' ' ')"
        fi
        check "kubernetes manifests valid: Kubernetes schemas, no unknown fields (docker/kubernetes/*.yaml)" \
            bash -c "cd '$W/k8s' && node validate.mjs $(printf "'$ROOT/%s' " docker/kubernetes/*.yaml)"
    else
        fail "kubernetes manifests: npm install kubernetes-models @kubernetes/client-node yaml" "$(tail -5 "$W/npm.log" | tr '\n' ' ')"
    fi
}
