# Sourced by the scripts that start `zaak serve --poort 0` in the background (tools/demo.sh,
# tools/schemathesis.sh, benchmarks/serve.sh, benchmarks/web.sh).
# serve_url OUT PID: waits for the server's announcement in OUT (its stdout) and prints the URL.
# Up to 60 s: on a loaded 2-core machine a debug build's start (opening the log, catching the read
# models up) has taken longer than 10 s. Fails at once when the process has gone.
serve_url() {
  local url="" _
  for _ in $(seq 1 600); do
    url=$(sed -nE 's/^zaak serve luistert op (http:[^ ]+).*/\1/p' "$1")
    if [ -n "$url" ]; then
      echo "$url"
      return 0
    fi
    kill -0 "$2" 2>/dev/null || break
    sleep 0.1
  done
  echo "fout: zaak serve start niet:" >&2
  cat "$1" >&2
  return 1
}
