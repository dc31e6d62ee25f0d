#!/usr/bin/env bash
# xroute lab: a whole ExpressRoute circuit in network namespaces on one box.
#
#   lab.sh up [--control api|config] [--edge xrouted|bird] [--bfd MS|off]
#             [--hold S]                    build it and print the summary
#   lab.sh status                           sessions, prefixes, BFD, pings
#   lab.sh fail primary|secondary [--mode drop|link]
#                                           cut that link: drop every frame
#                                           silently (default) or link down
#   lab.sh restore [primary|secondary]      heal it (default: both)
#   lab.sh down                             remove every namespace and process
#   lab.sh failover-test start [--link primary|secondary]
#                  [--category BgpDisconnect|ASPathPrepend] | stop | status
#                                           Azure's link failover drill, with
#                                           the traffic lost measured
#
# Topology (addresses as in Azure's troubleshooting guide):
#
#   host 10.2.20.10 ──lan 10.2.20.0/25──┬─ ce1 (AS 65010) ─172.16.0.0/30─ msee1 (AS 12076) ─┐
#                                       └─ ce2 (AS 65010) ─172.16.0.4/30─ msee2 (AS 12076) ─┤
#                                                                     gw (AS 65515) ────────┘
#                                                          vm 10.1.0.4 ── VNet 10.1.0.0/16
#
# ce1/ce2 run BIRD (or FRR); msee1/msee2 and gw run xrouted. Each link is a
# veth pair (this kernel has no 802.1Q devices; vlanId 200 is kept as data).
#
# --control api (the default) drives it like a tenant drives Azure: an API
# role on loopback with its SQLite store, then xrctl creates the resource
# group, circuit, provider provisioning, private peering, VNet, gateway and
# connection; the edges (xrouted --role edge) and the gateway (--role
# gateway) follow the store. --control config writes each daemon's
# configuration file instead (no API; --edge bird needs it). Under
# --control api every xrouted also serves Prometheus metrics on
# 127.0.0.1:9179 inside its namespace (ip netns exec xrlab-msee1 curl
# http://127.0.0.1:9179/metrics).
# State lives in $XR_LAB_DIR (default /run/xroute-lab): configs, sockets,
# logs and a pid file per daemon, so 'down' can clean up even after a crash.
set -uo pipefail

LAB_DIR=${XR_LAB_DIR:-/run/xroute-lab}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
XR_BUILD=${XR_BUILD:-$ROOT/build}
P=xrlab
NODES=(host ce1 ce2 msee1 msee2 gw vm)

die() { echo "lab: $*" >&2; exit 1; }
ns() { local n=$1; shift; ip netns exec "$P-$n" "$@"; }
have_ns() { ip netns list 2>/dev/null | awk '{print $1}' | grep -qx "$P-$1"; }

# veth A:ifA <-> B:ifB
link() {
	local a=$1 ia=$2 b=$3 ib=$4
	ip link add "$ia" netns "$P-$a" type veth peer name "$ib" netns "$P-$b" ||
	    die "cannot create veth $a:$ia - $b:$ib"
	ns "$a" ip link set "$ia" up
	ns "$b" ip link set "$ib" up
}

addr() { ns "$1" ip addr add "$3" dev "$2"; }

# Start a process in a node and record its pid. 'ip netns exec' execs the
# command, so $! is the process itself (a shell function would leave a
# subshell in between, and killing that would orphan the process).
start_daemon() {  # node name cmd...
	local node=$1 name=$2; shift 2
	ip netns exec "$P-$node" "$@" >>"$LAB_DIR/$name.log" 2>&1 &
	echo $! >"$LAB_DIR/$name.pid"
}

# A customer router: eBGP to its MSEE, iBGP over the LAN to the other CE
# (so a CE whose link died still reaches Azure through its twin).
write_bird() {  # node local-addr peer-addr bfd-ms|off hold lan-addr lan-peer
	local node=$1 la=$2 pa=$3 bfd_ms=$4 hold=$5 lan=$6 lanpeer=$7
	local bfd_on=on bfd_proto=""
	if [ "$bfd_ms" = off ]; then
		bfd_on=off
	else
		bfd_proto="protocol bfd {
	interface \"msee\" {
		min rx interval $bfd_ms ms;
		min tx interval $bfd_ms ms;
		multiplier 3;
	};
}"
	fi
	cat >"$LAB_DIR/$node.bird.conf" <<EOF
router id $la;
log "$LAB_DIR/$node.bird.log" all;
protocol device { scan time 10; }
protocol direct { ipv4; interface "lan"; }
# no 'merge paths': a CE prefers its own link (eBGP) over its twin (iBGP)
protocol kernel {
	ipv4 { import none; export where source = RTS_BGP; };
}
$bfd_proto
protocol bgp msee {
	local $la as 65010;
	neighbor $pa as 12076;
	hold time $hold;
	bfd $bfd_on;
	# lab pace: BIRD waits 60 s after an error by default
	error wait time 2, 20;
	connect retry time 5;
	ipv4 {
		import all;
		export where net = 10.2.20.0/25;
	};
}
protocol bgp twin {
	local $lan as 65010;
	neighbor $lanpeer as 65010;
	direct;
	ipv4 {
		import all;
		export where source = RTS_BGP;
		next hop self;
	};
}
EOF
}

# BIRD playing an MSEE, for side-by-side measurements: the same rules as
# xrouted's edge (private ASNs stripped and the regional community added
# toward the customer, customer communities ignored, 4,000-prefix limit).
write_bird_edge() {  # node ce-local ce-peer gw-local gw-peer bfd-ms|off hold
	local node=$1 la=$2 pa=$3 gla=$4 gpa=$5 bfd_ms=$6 hold=$7 bfd_on=on
	local bfd_proto=""
	if [ "$bfd_ms" = off ]; then
		bfd_on=off
	else
		bfd_proto="protocol bfd { interface \"ce\" { min rx interval $bfd_ms ms; min tx interval $bfd_ms ms; multiplier 3; }; }"
	fi
	cat >"$LAB_DIR/$node.bird.conf" <<EOF
router id $la;
log "$LAB_DIR/$node.bird.log" all;
protocol device { scan time 10; }
protocol kernel { ipv4 { import none; export all; }; merge paths on; }
$bfd_proto
filter to_ce { bgp_path.delete([64512..65535]); bgp_community.add((12076,50006)); accept; }
filter from_ce { bgp_community.delete([(*,*)]); bgp_large_community.delete([(*,*,*)]); accept; }
protocol bgp to_customer {
	local $la as 12076;
	neighbor $pa as 65010;
	hold time $hold;
	bfd $bfd_on;
	error wait time 2, 20;
	connect retry time 5;
	ipv4 { import limit 4000 action restart; import filter from_ce; export filter to_ce; };
}
protocol bgp to_gateway {
	local $gla as 12076;
	neighbor $gpa as 65515;
	hold time 30;
	ttl security on;		# GTSM, as xrouted uses inside the provider
	ipv4 { import all; export all; };
}
EOF
}

write_xrouted() {  # node file-content
	printf '%s\n' "$2" >"$LAB_DIR/$1.conf"
}

lab_up() {
	local edge=xrouted bfd_ms=300 hold=180 control=
	while [ $# -gt 0 ]; do
		case $1 in
		--control) control=${2:-}; shift 2 ;;
		--edge) edge=${2:-}; shift 2 ;;
		--bfd) bfd_ms=${2:-}; shift 2 ;;
		--hold) hold=${2:-}; shift 2 ;;
		*) die "up: unknown option $1 (allowed: --control api|config, --edge xrouted|bird, --bfd MS|off, --hold S)" ;;
		esac
	done
	case $edge in xrouted|bird) ;; *) die "up: --edge '$edge' is not one of: xrouted, bird" ;; esac
	[ -z "$control" ] && { [ "$edge" = bird ] && control=config || control=api; }
	case $control in api|config) ;; *) die "up: --control '$control' is not one of: api, config" ;; esac
	[ "$control" = api ] && [ "$edge" = bird ] &&
	    die "up: --edge bird needs --control config (BIRD does not read the store)"
	[ "$control" = api ] && { [ "$bfd_ms" != 300 ] || [ "$hold" != 180 ]; } &&
	    die "up: --bfd and --hold are Microsoft's (300 ms, 180 s) under --control api; use --control config to change them"
	[[ $bfd_ms = off || $bfd_ms =~ ^[0-9]+$ ]] ||
	    die "up: --bfd '$bfd_ms' is not a number of milliseconds or 'off'"
	[[ $hold =~ ^[0-9]+$ ]] && [ "$hold" -ge 3 ] ||
	    die "up: --hold '$hold' is not a hold time of 3 s or more"
	if have_ns msee1; then
		echo "lab: already running (lab.sh status shows it; lab.sh down removes it)"
		return 0
	fi
	[ -x "$XR_BUILD/xrouted" ] || die "no $XR_BUILD/xrouted: run make first"
	mkdir -p "$LAB_DIR"
	for n in "${NODES[@]}"; do
		ip netns add "$P-$n" || die "cannot create namespace $P-$n"
		ns "$n" ip link set lo up
		ns "$n" sysctl -qw net.ipv4.ip_forward=1
		ns "$n" sysctl -qw net.ipv4.fib_multipath_hash_policy=1
	done

	# on-premises LAN: a bridge in the host namespace, one leg per CE
	ns host ip link add lan type bridge
	ns host ip link set lan up
	link host lan-ce1 ce1 lan
	link host lan-ce2 ce2 lan
	ns host ip link set lan-ce1 master lan
	ns host ip link set lan-ce2 master lan
	addr host lan 10.2.20.10/25
	addr ce1 lan 10.2.20.2/25
	addr ce2 lan 10.2.20.3/25
	ns host ip route add 10.1.0.0/16 \
	    nexthop via 10.2.20.2 nexthop via 10.2.20.3

	# the circuit: primary and secondary links, CE on the first address
	link ce1 msee msee1 ce
	addr ce1 msee 172.16.0.1/30
	addr msee1 ce 172.16.0.2/30
	link ce2 msee msee2 ce
	addr ce2 msee 172.16.0.5/30
	addr msee2 ce 172.16.0.6/30

	# edges to the gateway: the links; their addresses come from the
	# GatewaySubnet (configured below, or derived from the store)
	link msee1 gw gw msee1
	link msee2 gw gw msee2
	if [ "$control" = config ]; then
		addr msee1 gw 10.17.17.137/30
		addr gw msee1 10.17.17.138/30
		addr msee2 gw 10.17.17.141/30
		addr gw msee2 10.17.17.142/30
	fi

	# the VNet
	link gw vnet vm eth0
	addr gw vnet 10.1.0.1/24
	addr vm eth0 10.1.0.4/24
	ns vm ip route add default via 10.1.0.1

	write_bird ce1 172.16.0.1 172.16.0.2 "$bfd_ms" "$hold" 10.2.20.2 10.2.20.3
	write_bird ce2 172.16.0.5 172.16.0.6 "$bfd_ms" "$hold" 10.2.20.3 10.2.20.2
	if [ "$control" = api ]; then
		lab_up_api
		return
	fi
	local n la pa gwa me bfd_line=""
	[ "$bfd_ms" != off ] && bfd_line="bfd $bfd_ms"
	for n in 1 2; do
		if [ $n = 1 ]; then la=172.16.0.2 pa=172.16.0.1 gwa=10.17.17.138 me=10.17.17.137
		else la=172.16.0.6 pa=172.16.0.5 gwa=10.17.17.142 me=10.17.17.141; fi
		if [ "$edge" = bird ]; then
			write_bird_edge msee$n $la $pa $me $gwa "$bfd_ms" "$hold"
			continue
		fi
		write_xrouted msee$n "router-id $la
as 12076
listen 0.0.0.0 port 179
control \"$LAB_DIR/msee$n.sock\"
context \"private\" {
    kernel-table main
    neighbor $pa {
        remote-as 65010
        description \"customer $([ $n = 1 ] && echo primary || echo secondary)\"
        local-address $la
        hold-time $hold
        ttl-security no      # Azure does not require GTSM of customers
        connect-retry 5
        $bfd_line
        remove-private-as
        strip-communities
        add-community 12076:50006   # West US (data/catalogue.json)
        max-prefix 4000
    }
    neighbor $gwa {
        remote-as 65515
        description \"gateway\"
        local-address $me
        hold-time 30
    }
}"
	done
	write_xrouted gw "router-id 10.17.17.138
as 65515
listen 0.0.0.0 port 179
control \"$LAB_DIR/gw.sock\"
context \"vnet\" {
    kernel-table main
    route 10.1.0.0/16
    neighbor 10.17.17.137 { remote-as 12076 local-address 10.17.17.138 hold-time 30 description \"msee primary\" }
    neighbor 10.17.17.141 { remote-as 12076 local-address 10.17.17.142 hold-time 30 description \"msee secondary\" }
}"
	echo "edge=$edge bfd=$bfd_ms hold=$hold control=config gwpeers=10.17.17.137,10.17.17.141" >"$LAB_DIR/settings"
	local xr_nodes="gw"
	[ "$edge" = xrouted ] && xr_nodes="msee1 msee2 gw"
	for n in $xr_nodes; do
		"$XR_BUILD/xrouted" -n -f "$LAB_DIR/$n.conf" >/dev/null ||
		    die "xrouted rejected the $n configuration"
		start_daemon $n $n "$XR_BUILD/xrouted" -d -f "$LAB_DIR/$n.conf"
	done
	local bird_nodes="ce1 ce2"
	[ "$edge" = bird ] && bird_nodes="ce1 ce2 msee1 msee2"
	for n in $bird_nodes; do
		start_daemon $n $n bird -f -c "$LAB_DIR/$n.bird.conf" \
		    -s "$LAB_DIR/$n.bird.sock"
	done
	wait_up 60 || { lab_status; die "the circuit did not come up in 60 s (logs in $LAB_DIR)"; }
	lab_status
}

# --- the lab driven through the API ----------------------------------------
LAB_RG=lab-rg
LAB_LOC=westus
LAB_SUB=40000000-0000-4000-8000-00000000a001
LAB_GWSUBNET=10.1.255.0/27	# connection 0: .0/.1 primary, .2/.3 secondary

x() { "$XR_BUILD/xrctl" "$@"; }

# The tenant's steps, each one xrctl command against the API role; a
# failing step stops the lab with the API's own error.
api_step() {  # what, xrctl args...
	local what=$1 out; shift
	out=$(x "$@" -o json 2>&1) || die "$what failed: $out"
	printf '  %-46s ok\n' "$what"
	LAST_JSON=$out
}

json_field() {  # json, python expression on d
	python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$1" "$2"
}

lab_up_api() {
	local tok=lab-admin-$RANDOM$RANDOM$RANDOM key gwid n path
	# a new lab, a new store
	rm -f "$LAB_DIR/api.port" "$LAB_DIR/api.env" "$LAB_DIR"/xroute.db*
	XR_ADMIN_TOKEN=$tok "$XR_BUILD/xrouted" --role api --db "$LAB_DIR/xroute.db" \
	    --listen 127.0.0.1:0 --port-file "$LAB_DIR/api.port" \
	    --data "$ROOT/data" >>"$LAB_DIR/api.log" 2>&1 &
	echo $! >"$LAB_DIR/api.pid"
	for _ in $(seq 100); do [ -s "$LAB_DIR/api.port" ] && break; sleep 0.1; done
	[ -s "$LAB_DIR/api.port" ] || die "the API role did not start (see $LAB_DIR/api.log)"
	{
		echo "export XR_API=http://127.0.0.1:$(cat "$LAB_DIR/api.port")"
		echo "export XR_TOKEN=$tok"
		echo "export XR_SUBSCRIPTION=$LAB_SUB"
	} >"$LAB_DIR/api.env"
	chmod 600 "$LAB_DIR/api.env"
	. "$LAB_DIR/api.env"
	echo "lab: API role on $XR_API; the tenant's steps:"
	curl -sf -X PUT -H "Authorization: Bearer $tok" \
	    "$XR_API/subscriptions/$LAB_SUB?api-version=2025-07-01" -d '{}' \
	    >/dev/null || die "the API refused the subscription"
	api_step "resource group $LAB_RG" group create -n $LAB_RG -l $LAB_LOC
	api_step "circuit lab-circuit (Standard, 1 Gbps)" circuit create \
	    -g $LAB_RG -n lab-circuit -l $LAB_LOC --provider Equinix \
	    --peering-location "Silicon Valley" --bandwidth 1000
	key=$(json_field "$LAST_JSON" 'd["properties"]["serviceKey"]')
	api_step "provider provisions the circuit" provider provision \
	    --service-key "$key"
	api_step "private peering, VLAN 200, peer AS 65010" peering create \
	    -g $LAB_RG --circuit-name lab-circuit \
	    --peering-type AzurePrivatePeering --peer-asn 65010 \
	    --primary-peer-subnet 172.16.0.0/30 \
	    --secondary-peer-subnet 172.16.0.4/30 --vlan-id 200
	api_step "VNet lab-vnet 10.1.0.0/16" vnet create -g $LAB_RG -n lab-vnet \
	    -l $LAB_LOC --address-prefixes 10.1.0.0/16 \
	    --subnets default=10.1.0.0/24,GatewaySubnet=$LAB_GWSUBNET
	api_step "ExpressRoute gateway lab-gw" gateway create -g $LAB_RG \
	    -n lab-gw -l $LAB_LOC --vnet lab-vnet
	gwid=$(json_field "$LAST_JSON" 'd["id"]')
	api_step "connection lab-gw <-> lab-circuit" connection create \
	    -g $LAB_RG -n lab-conn -l $LAB_LOC --vnet-gateway lab-gw \
	    --circuit lab-circuit
	for n in 1 2; do
		path=$([ $n = 1 ] && echo primary || echo secondary)
		start_daemon msee$n msee$n "$XR_BUILD/xrouted" --role edge -d \
		    --db "$LAB_DIR/xroute.db" --path $path \
		    --peering-location "Silicon Valley" \
		    --router-id 10.255.254.$n --interface-map 200=ce \
		    --gateway-interface gw --data "$ROOT/data" \
		    --metrics 127.0.0.1:9179 -s "$LAB_DIR/msee$n.sock"
	done
	start_daemon gw gw "$XR_BUILD/xrouted" --role gateway -d \
	    --db "$LAB_DIR/xroute.db" --gateway "$gwid" \
	    --edge-map primary=msee1,secondary=msee2 \
	    --metrics 127.0.0.1:9179 -s "$LAB_DIR/gw.sock"
	echo "edge=xrouted bfd=300 hold=180 control=api" \
	    "gwpeers=10.1.255.0,10.1.255.2" >"$LAB_DIR/settings"
	for n in ce1 ce2; do
		start_daemon $n $n bird -f -c "$LAB_DIR/$n.bird.conf" \
		    -s "$LAB_DIR/$n.bird.sock"
	done
	wait_up 90 || { lab_status; die "the circuit did not come up in 90 s (logs in $LAB_DIR)"; }
	echo
	lab_status
}

xrctl() { "$XR_BUILD/xrctl" -s "$LAB_DIR/$1.sock" "${@:2}"; }

lab_edge() { sed -n 's/.*edge=\([a-z]*\).*/\1/p' "$LAB_DIR/settings" 2>/dev/null; }
lab_setting() { tr ' ' '\n' <"$LAB_DIR/settings" 2>/dev/null | sed -n "s/^$1=//p"; }
# the gateway's neighbours: the edges' ends of the gateway links
gw_peer() { lab_setting gwpeers | cut -d, -f"$1"; }

# state of one neighbour as "State PfxRcd" (xrouted, or BIRD as the edge)
peer_state() {  # node neighbour
	if [[ $1 = msee* ]] && [ "$(lab_edge)" = bird ]; then
		birdc -s "$LAB_DIR/$1.bird.sock" show protocols all to_customer 2>/dev/null |
		    awk '/BGP state:/ {s=$3} /Routes:/ {r=$2} END {print (s ? s : "down"), (r ? r : 0)}'
		return
	fi
	xrctl "$1" -j show bgp summary 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
for c in d.get("contexts", {}).values():
    p = c.get("peers", {}).get(sys.argv[1])
    if p:
        print(p.get("state", "?"), p.get("pfxRcd", 0)); break
else:
    print("down 0")' "$2"
}

bird_bfd() {  # node -> BFD state toward its msee
	birdc -s "$LAB_DIR/$1.bird.sock" show bfd sessions 2>/dev/null |
	    awk '/^172\.16\./ {print $3; exit}'
}

circuit_up() {
	local s
	for s in "msee1 172.16.0.1" "msee2 172.16.0.5" "gw $(gw_peer 1)" \
	    "gw $(gw_peer 2)"; do
		set -- $s
		[ "$(peer_state $1 $2 | cut -d' ' -f1)" = Established ] || return 1
	done
}

wait_up() {
	local deadline=$((SECONDS + $1))
	while [ $SECONDS -lt $deadline ]; do
		circuit_up && ns host ping -c1 -W1 10.1.0.4 >/dev/null 2>&1 &&
		    return 0
		sleep 1
	done
	return 1
}

lab_status() {
	have_ns msee1 || { echo "lab: not running"; return 1; }
	local s st pfx node peer label
	printf '%-34s %-12s %-8s %s\n' "Session" "State" "PfxRcd" "BFD"
	for s in "msee1 172.16.0.1 primary:_CE1_(BIRD)_<->_MSEE1 ce1" \
	    "msee2 172.16.0.5 secondary:_CE2_(BIRD)_<->_MSEE2 ce2" \
	    "gw $(gw_peer 1) gateway_<->_MSEE1 -" \
	    "gw $(gw_peer 2) gateway_<->_MSEE2 -"; do
		set -- $s
		node=$1 peer=$2 label=${3//_/ }
		read -r st pfx < <(peer_state "$node" "$peer")
		local bfd=-
		[ "$4" != - ] && bfd=$(bird_bfd "$4")
		printf '%-34s %-12s %-8s %s\n' "$label" "$st" "$pfx" "${bfd:--}"
	done
	echo
	local r
	r=$(ns host ping -c3 -i0.2 -W1 10.1.0.4 2>/dev/null | awk -F', ' '/packets/ {print $3}')
	echo "ping on-premises 10.2.20.10 -> VNet 10.1.0.4: ${r:-no reply}"
	for s in "ce1 primary" "ce2 secondary"; do
		set -- $s
		r=$(ns "$1" ping -c2 -i0.2 -W1 -I 10.2.20.$([ $1 = ce1 ] && echo 2 || echo 3) 10.1.0.4 2>/dev/null |
		    awk -F', ' '/packets/ {print $3}')
		echo "ping via $2 path ($1 -> VNet):            ${r:-no reply}"
	done
	if [ "$(lab_setting control)" = api ]; then
		echo
		echo "The circuit as the API shows it:"
		echo "  . $LAB_DIR/api.env; $XR_BUILD/xrctl circuit show -g $LAB_RG -n lab-circuit"
	fi
}

# A cut the routers cannot see locally: the link stays up and nftables
# drops every frame in both directions on the CE's side, as when a provider
# circuit fails in the middle; only BFD or the hold timer notices. With
# --mode link the CE's interface goes down instead (both ends see it).
cut_table() { echo "xrlab_cut"; }

lab_fail() {
	local path=${1:-} mode=drop node
	[ "${2:-}" = --mode ] && mode=${3:-}
	case $path in
	primary) node=ce1 ;;
	secondary) node=ce2 ;;
	*) die "fail: say primary or secondary" ;;
	esac
	case $mode in
	drop)
		ns $node nft -f - <<EOF || die "fail: nftables refused the drop rule"
table netdev $(cut_table) {
	chain in { type filter hook ingress device "msee" priority 0; policy drop; }
	chain out { type filter hook egress device "msee" priority 0; policy drop; }
}
EOF
		;;
	link) ns $node ip link set msee down ;;
	*) die "fail: --mode $mode is not one of: drop, link" ;;
	esac
	echo "lab: $path link cut ($node msee, $mode)"
}

restore_one() {  # node
	ns "$1" nft delete table netdev "$(cut_table)" 2>/dev/null
	ns "$1" ip link set msee up
}

lab_restore() {
	case ${1:-both} in
	primary) restore_one ce1 ;;
	secondary) restore_one ce2 ;;
	both) restore_one ce1; restore_one ce2 ;;
	*) die "restore: say primary, secondary or nothing" ;;
	esac
	echo "lab: restored ${1:-both}"
}

# --- failover drill -------------------------------------------------------
# Shaped like Azure's circuit link failover test (start/stop per link,
# categories BgpDisconnect and ASPathPrepend, route snapshots before and
# during the simulation, BGP status per link), plus what only a lab can
# give: the traffic lost, measured by a UDP probe every 5 ms from the
# on-premises host to the VNet host that runs from start to stop.
FT="$LAB_DIR/failover-test"

ce_routes_json() {  # ce -> JSON list of {route, nextHop, asPath} for the VNet
	birdc -s "$LAB_DIR/$1.bird.sock" show route all 2>/dev/null | python3 -c '
import json, re, sys
out, net, nh = [], None, None
for line in sys.stdin:
    m = re.match(r"^(\d+\.\d+\.\d+\.\d+/\d+)\s+unicast", line)
    if m: net = m.group(1)
    m = re.match(r"^\s+unicast .*", line)
    m2 = re.match(r"^\s+via (\S+)", line)
    if m2: nh = m2.group(1)
    m3 = re.match(r"^\s+BGP.as_path: ?(.*)$", line)
    if m3 and net and net.startswith("10.1."):
        out.append({"route": net, "nextHop": nh, "asPath": m3.group(1).strip()})
print(json.dumps(out))'
}

bgp_status_json() {
	local s link st
	echo -n "["
	local first=1
	for s in "primary msee1 172.16.0.1" "secondary msee2 172.16.0.5"; do
		set -- $s
		read -r st _ < <(peer_state "$2" "$3")
		[ $first = 1 ] || echo -n ","
		first=0
		printf '{"bgpStatusType":"IPv4","link":"%s","status":"%s","checkTime":"%s"}' \
		    "$1" "$([ "$st" = Established ] && echo Connected || echo Disconnected)" \
		    "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	done
	echo -n "]"
}

ft_edge() { [ "$1" = primary ] && echo msee1 || echo msee2; }
ft_ce_addr() { [ "$1" = primary ] && echo 172.16.0.1 || echo 172.16.0.5; }

ft_start() {
	local link=primary cat=BgpDisconnect node nbr
	while [ $# -gt 0 ]; do
		case $1 in
		--link) link=${2:-}; shift 2 ;;
		--category) cat=${2:-}; shift 2 ;;
		*) die "failover-test start: unknown option $1 (--link primary|secondary, --category BgpDisconnect|ASPathPrepend)" ;;
		esac
	done
	case $link in primary|secondary) ;; *) die "failover-test: --link '$link' is not one of: primary, secondary" ;; esac
	case $cat in BgpDisconnect|ASPathPrepend) ;; *) die "failover-test: --category '$cat' is not one of: BgpDisconnect, ASPathPrepend" ;; esac
	have_ns msee1 || die "failover-test: the lab is not running (xrctl lab up)"
	[ "$(lab_edge)" = xrouted ] || die "failover-test: needs xrouted edges"
	[ -f "$FT/state" ] && grep -q Running "$FT/state" &&
	    die "failover-test: a test is already running (failover-test stop)"
	rm -rf "$FT"; mkdir -p "$FT"
	echo "Starting $link $cat $(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$FT/state"
	ce_routes_json ce1 >"$FT/before-ce1.json"
	ce_routes_json ce2 >"$FT/before-ce2.json"
	bgp_status_json >"$FT/bgp-before.json"
	ip netns exec $P-vm "$XR_BUILD/tests/tools/udpprobe" recv 47100 -t 600 \
	    -q 2000 >"$FT/probe.out" 2>&1 &
	echo $! >"$LAB_DIR/ft-recv.pid"
	sleep 0.2
	ip netns exec $P-host "$XR_BUILD/tests/tools/udpprobe" send 10.1.0.4 \
	    47100 -i 5 -t 600 >/dev/null 2>&1 &
	echo $! >"$LAB_DIR/ft-send.pid"
	sleep 1
	node=$(ft_edge $link) nbr=$(ft_ce_addr $link)
	if [ $cat = BgpDisconnect ]; then
		xrctl $node neighbor $nbr down "failover test: BgpDisconnect" >/dev/null ||
		    die "failover-test: could not shut the $link session"
	else
		cp "$LAB_DIR/$node.conf" "$FT/$node.conf.orig"
		sed -i "/neighbor $nbr {/a\\        prepend 3" "$LAB_DIR/$node.conf"
		xrctl $node reload >/dev/null ||
		    die "failover-test: could not apply the prepend on $node"
	fi
	sleep 3
	ce_routes_json ce1 >"$FT/during-ce1.json"
	ce_routes_json ce2 >"$FT/during-ce2.json"
	bgp_status_json >"$FT/bgp-during.json"
	echo "Running $link $cat $(sed -n 's/^Starting [a-z]* [A-Za-z]* //p' "$FT/state")" >"$FT/state"
	echo "failover-test: $cat on the $link link is running (failover-test status; failover-test stop)"
}

ft_stop() {
	local link cat node nbr pid
	[ -f "$FT/state" ] || die "failover-test: no test was started"
	read -r st link cat _ <"$FT/state"
	[ "$st" = Running ] || die "failover-test: the test is $st, not Running"
	node=$(ft_edge $link) nbr=$(ft_ce_addr $link)
	if [ $cat = BgpDisconnect ]; then
		xrctl $node neighbor $nbr up >/dev/null
	else
		cp "$FT/$node.conf.orig" "$LAB_DIR/$node.conf"
		xrctl $node reload >/dev/null
	fi
	for pid in $(cat "$LAB_DIR/ft-send.pid" 2>/dev/null); do
		kill "$pid" 2>/dev/null
	done
	pid=$(cat "$LAB_DIR/ft-recv.pid" 2>/dev/null)
	for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill "$pid" 2>/dev/null
	rm -f "$LAB_DIR/ft-send.pid" "$LAB_DIR/ft-recv.pid"
	sed -i 's/^Running/Completed/' "$FT/state"
	ft_status
}

ft_status() {
	[ -f "$FT/state" ] || { echo '{"status":"NotStarted"}'; return; }
	python3 - "$FT" <<'PY'
import json, os, sys
ft = sys.argv[1]
st, link, cat, started = open(os.path.join(ft, "state")).read().split()[:4]
def load(name, default):
    try:
        return json.load(open(os.path.join(ft, name)))
    except Exception:
        return default
probe = None
try:
    lines = [l for l in open(os.path.join(ft, "probe.out")) if l.startswith('{"received"')]
    probe = json.loads(lines[-1]) if lines else None
except Exception:
    pass
def routes(when):
    return load(when + "-ce1.json", []) + load(when + "-ce2.json", [])
out = {
    "status": st, "linkType": link.capitalize(),
    "circuitTestCategory": cat, "startTime": started,
    "routes": {"beforeSimulation": routes("before"),
               "duringSimulation": routes("during")},
    "bgpStatus": {"beforeSimulation": load("bgp-before.json", []),
                  "duringSimulation": load("bgp-during.json", [])},
    "trafficLoss": probe,
}
print(json.dumps(out, indent=2))
PY
}

lab_failover_test() {
	case ${1:-} in
	start) shift; ft_start "$@" ;;
	stop) ft_stop ;;
	status) ft_status ;;
	*) die "failover-test: say start [--link L] [--category C], stop or status" ;;
	esac
}

lab_down() {
	local f pid n
	for f in "$LAB_DIR"/*.pid; do
		[ -f "$f" ] || continue
		pid=$(cat "$f")
		kill "$pid" 2>/dev/null
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.2
		done
		kill -9 "$pid" 2>/dev/null
		rm -f "$f"
	done
	for n in "${NODES[@]}"; do
		# anything still running inside the namespace was started by us
		for pid in $(ip netns pids "$P-$n" 2>/dev/null); do
			kill -9 "$pid" 2>/dev/null
		done
		have_ns "$n" && ip netns del "$P-$n"
	done
	echo "lab: down"
}

case ${1:-} in
up) shift; lab_up "$@" ;;
status) lab_status ;;
fail) shift; lab_fail "$@" ;;
restore) lab_restore "${2:-both}" ;;
down) lab_down ;;
failover-test) shift; lab_failover_test "$@" ;;
*) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 64 ;;
esac
