# Shared by the Puppet scenarios (102-103): sourced by their run.sh after they set $port (the server's).
# puppet_agent CERTNAME SUBCOMMAND [ARGS...]: the real `puppet ssl SUBCOMMAND` as agent CERTNAME, with
# every Puppet directory under ./CERTNAME and the server at 127.0.0.1:$port (RSA 2048: puppet 7.23's EC
# keys fail on OpenSSL 3).
puppet_agent() {
  local name=$1 sub=$2
  shift 2
  local T=$PWD/$name
  mkdir -p "$T"
  timeout 120 puppet ssl "$sub" --confdir "$T/conf" --vardir "$T/var" --logdir "$T/log" --rundir "$T/run" \
    --codedir "$T/code" --ssldir "$T/ssl" --server 127.0.0.1 --ca_server 127.0.0.1 --ca_port "$port" \
    --serverport "$port" --certname "$name" --keylength 2048 "$@"
}
