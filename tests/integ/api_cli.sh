#!/usr/bin/env bash
# xrctl resource commands against a running API role (real HTTP, real
# SQLite file, loopback only): create/show/list/update/delete of circuits,
# provider provisioning, peerings, route filters, VNets, VNet peering,
# gateways, connections; the Get-AzExpressRouteCircuit layout; az-style
# errors and exit codes. Prints TAP.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B=${XR_BUILD:-$ROOT/build}
TMP=$(mktemp -d /tmp/xr-api-cli.XXXXXX)
PID=
cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT
n=0; fails=0
ok() { n=$((n+1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else
  echo "not ok $n - $2"; fails=$((fails+1)); [ -n "${3:-}" ] && sed 's/^/#   /' <<<"$3"; fi; }

SRV="$B/tests/tools/api_server"
if [ -x "$B/xrouted" ] && "$B/xrouted" --role api --help 2>/dev/null | grep -q -- --db; then
  SRV="$B/xrouted --role api"
fi
ADMIN=adm-$RANDOM$RANDOM
XR_ADMIN_TOKEN=$ADMIN $SRV --db "$TMP/db" --listen 127.0.0.1:0 \
  --port-file "$TMP/port" --data "$ROOT/data" >"$TMP/log" 2>&1 &
PID=$!
for _ in $(seq 200); do [ -s "$TMP/port" ] && break; sleep 0.05; done
export XR_API=http://127.0.0.1:$(cat "$TMP/port") XR_TOKEN=$ADMIN
export XR_SUBSCRIPTION=40000000-0000-4000-8000-000000000001
curl -sf -X PUT -H "Authorization: Bearer $ADMIN" \
  "$XR_API/subscriptions/$XR_SUBSCRIPTION?api-version=2025-07-01" -d '{}' >/dev/null
ok $? "admin creates the subscription"
x() { "$B/xrctl" "$@"; }

out=$(x group create -n Test-ER-RG -l westus2 -o table 2>&1)
ok $? "group create" "$out"
out=$(x circuit create -g Test-ER-RG -n Test-ER-Ckt -l westus2 --provider Equinix \
  --peering-location "Silicon Valley" --bandwidth 100 --sku-family UnlimitedData 2>&1)
ok $? "circuit create (waits for the operation)" "$out"
grep -q '^ProvisioningState                : Succeeded$' <<<"$out"
ok $? "circuit create prints the circuit, Succeeded" "$out"
out=$(x circuit show -g Test-ER-RG -n Test-ER-Ckt)
for line in 'Name                             : Test-ER-Ckt' \
  'ResourceGroupName                : Test-ER-RG' \
  'Location                         : westus2' \
  'Sku                              : {' \
  '                                    "Name": "Standard_UnlimitedData",' \
  '                                   }' \
  'CircuitProvisioningState         : Enabled' \
  'ServiceProviderProvisioningState : NotProvisioned' \
  'ServiceProviderNotes             :' \
  '                                    "PeeringLocation": "Silicon Valley",' \
  'Peerings                         : []' \
  'Authorizations                   : []'; do
  grep -qxF -- "$line" <<<"$out"
  ok $? "circuit show line: $line" "$out"
done
KEY=$(x circuit show -g Test-ER-RG -n Test-ER-Ckt -o json | python3 -c \
  'import json,sys; print(json.load(sys.stdin)["properties"]["serviceKey"])')
grep -qxE "ServiceKey +: $KEY" <<<"$out"
ok $? "circuit show prints the service key"
out=$(x peering create -g Test-ER-RG --circuit-name Test-ER-Ckt --peering-type \
  AzurePrivatePeering --peer-asn 65001 --primary-peer-subnet 172.16.0.0/29 \
  --vlan-id 200 2>&1)
rc=$?
[ $rc = 1 ] && grep -q "^ERROR: (ServiceProviderNotProvisioned) Peering AzurePrivatePeering cannot be configured" <<<"$out"
ok $? "peering before provisioning: exit 1, az-style error" "$out"
out=$(x provider provision --service-key "$KEY" -o json 2>&1)
grep -q '"serviceProviderProvisioningState": "Provisioned"' <<<"$out"
ok $? "provider provision by service key" "$out"
out=$(x provider list -o table 2>&1)
grep -q "$KEY  Silicon Valley" <<<"$out"
ok $? "provider list shows the cross connection" "$out"
out=$(x peering create -g Test-ER-RG --circuit-name Test-ER-Ckt --peering-type \
  AzurePrivatePeering --peer-asn 65001 --primary-peer-subnet 172.16.0.0/29 \
  --vlan-id 200 --shared-key s3cret 2>&1)
ok $? "peering create with a /29" "$out"
out=$(x peering show -g Test-ER-RG --circuit-name Test-ER-Ckt --peering-type AzurePrivatePeering)
for line in 'Name                       : AzurePrivatePeering' \
  'PeeringType                : AzurePrivatePeering' \
  'AzureASN                   : 12076' 'PeerASN                    : 65001' \
  'PrimaryPeerAddressPrefix   : 172.16.0.0/30' \
  'SecondaryPeerAddressPrefix : 172.16.0.4/30' \
  'PrimaryAzurePort           :' 'SharedKey                  :' \
  'VlanId                     : 200' 'MicrosoftPeeringConfig     : null' \
  'ProvisioningState          : Succeeded'; do
  grep -qxF -- "$line" <<<"$out"
  ok $? "peering show line: $line" "$out"
done
! grep -q s3cret <<<"$out$(x circuit show -g Test-ER-RG -n Test-ER-Ckt -o json)"
ok $? "shared key never printed"
out=$(x peering create -g Test-ER-RG --circuit-name Test-ER-Ckt --peering-type \
  AzurePrivatePeering --peer-asn 65001 --vlan-id 200 --ip-version IPv6 \
  --primary-peer-subnet 2001:db8:1::/125 -o json 2>&1)
grep -q '"secondaryPeerAddressPrefix": "2001:db8:1::4/126"' <<<"$out" &&
  grep -q '"primaryPeerAddressPrefix": "172.16.0.0/30"' <<<"$out"
ok $? "IPv6 added to the same peering" "$out"
out=$(x peering show -g Test-ER-RG --circuit-name Test-ER-Ckt --peering-type MicrosoftPeering 2>&1)
[ $? = 1 ] && grep -qF "The BGP Peering MicrosoftPeering with Service Key $KEY is not found." <<<"$out"
ok $? "absent peering: exact error, exit 1" "$out"
out=$(x circuit update -g Test-ER-RG -n Test-ER-Ckt --bandwidth 50 2>&1)
[ $? = 1 ] && grep -q "CannotDecreaseBandwidth" <<<"$out"
ok $? "circuit update refuses a bandwidth decrease" "$out"
out=$(x circuit update -g Test-ER-RG -n Test-ER-Ckt --bandwidth 200 --sku-tier Premium 2>&1)
grep -q '"Name": "Premium_UnlimitedData"' <<<"$out" && grep -q '"BandwidthInMbps": 200' <<<"$out"
ok $? "circuit update to Premium, 200 Mbps" "$out"
out=$(x circuit list -o table)
grep -qE '^Test-ER-Ckt +Test-ER-RG +westus2 +Equinix +Silicon Valley +200 +Premium_UnlimitedData +Provisioned +Succeeded$' <<<"$out"
ok $? "circuit list -o table" "$out"
x route-filter create -g Test-ER-RG -n rf -l westus2 >/dev/null 2>&1
ok $? "route-filter create"
out=$(x route-filter rule set -g Test-ER-RG --filter-name rf --communities 12076:51004,12076:51006 -o json 2>&1)
grep -q '"12076:51006"' <<<"$out"
ok $? "route-filter rule set" "$out"
x peering create -g Test-ER-RG --circuit-name Test-ER-Ckt --peering-type MicrosoftPeering \
  --peer-asn 8075 --primary-peer-subnet 203.0.113.0/29 --vlan-id 300 \
  --advertised-public-prefixes 198.51.100.0/24 >/dev/null 2>&1
ok $? "Microsoft peering create"
out=$(x peering show -g Test-ER-RG --circuit-name Test-ER-Ckt --peering-type MicrosoftPeering)
grep -q '"AdvertisedPublicPrefixesState": "ValidationNeeded"' <<<"$out"
ok $? "documentation prefixes need manual validation" "$out"
out=$(x provider approve --service-key "$KEY" -o json 2>&1)
grep -q '"advertisedPublicPrefixesState": "Configured"' <<<"$out"
ok $? "provider approve" "$out"
out=$(x route-filter attach -g Test-ER-RG --circuit-name Test-ER-Ckt --route-filter rf -o json 2>&1)
grep -q 'routeFilters/rf"' <<<"$out"
ok $? "route-filter attach" "$out"
out=$(x route-filter delete -g Test-ER-RG -n rf 2>&1)
[ $? = 1 ] && grep -q RouteFilterInUse <<<"$out"
ok $? "attached filter cannot be deleted" "$out"
x route-filter detach -g Test-ER-RG --circuit-name Test-ER-Ckt >/dev/null 2>&1 &&
  x route-filter delete -g Test-ER-RG -n rf 2>&1
ok $? "detach, then delete"
out=$(x vnet create -g Test-ER-RG -n hub -l westus2 --address-prefixes 10.1.0.0/16 \
  --subnets GatewaySubnet=10.1.255.0/27,app=10.1.1.0/24 -o json 2>&1)
grep -q '"name": "GatewaySubnet"' <<<"$out"
ok $? "vnet create with GatewaySubnet" "$out"
x vnet create -g Test-ER-RG -n spoke -l westus2 --address-prefixes 10.2.0.0/16 >/dev/null 2>&1
out=$(x gateway create -g Test-ER-RG -n gw -l westus2 --vnet hub --sku ErGw1AZ -o json 2>&1)
grep -q '"asn": 65515' <<<"$out"
ok $? "gateway create, ASN 65515" "$out"
x vnet peering create -g Test-ER-RG --vnet-name hub -n toSpoke --remote-vnet spoke \
  --allow-gateway-transit >/dev/null 2>&1
out=$(x vnet peering create -g Test-ER-RG --vnet-name spoke -n toHub --remote-vnet hub \
  --use-remote-gateways --allow-forwarded-traffic -o json 2>&1)
grep -q '"peeringState": "Connected"' <<<"$out"
ok $? "vnet peering both ways, Connected, gateway transit" "$out"
out=$(x connection create -g Test-ER-RG -n conn -l westus2 --vnet-gateway gw \
  --circuit Test-ER-Ckt --routing-weight 10 -o json 2>&1)
grep -q '"routingWeight": 10' <<<"$out"
ok $? "connection gateway <-> circuit" "$out"
out=$(x connection list -g Test-ER-RG -o table)
grep -qE '^conn +westus2 +Succeeded$' <<<"$out"
ok $? "connection list -o table" "$out"
out=$(x authorization create -g Test-ER-RG --circuit-name Test-ER-Ckt -n auth1 -o json 2>&1)
grep -q '"authorizationUseStatus": "Available"' <<<"$out"
ok $? "authorization create" "$out"
x connection delete -g Test-ER-RG -n conn && x provider deprovision --service-key "$KEY" >/dev/null &&
  x circuit delete -g Test-ER-RG -n Test-ER-Ckt
ok $? "delete connection, deprovision, delete circuit"
out=$(x circuit show -g Test-ER-RG -n Test-ER-Ckt 2>&1)
[ $? = 1 ] && grep -q "^ERROR: (ResourceNotFound)" <<<"$out"
ok $? "deleted circuit is gone" "$out"
out=$(XR_API=http://127.0.0.1:1 x circuit list 2>&1)
ok $([ $? = 69 ] && echo 0 || echo 1) "unreachable API: exit 69" "$out"
out=$(x circuit frobnicate 2>&1)
ok $([ $? = 64 ] && echo 0 || echo 1) "unknown verb: exit 64" "$out"
kill "$PID" && wait "$PID" 2>/dev/null; PID=
! grep -qE "Sanitizer|runtime error" "$TMP/log"
ok $? "server log has no sanitizer report" "$(grep -E -A5 'Sanitizer|runtime error' "$TMP/log" | head -20)"
echo "1..$n"
[ $fails = 0 ]
