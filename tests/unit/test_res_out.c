/*
 * xrctl's "show" layouts (cli/res_out.c) from fixed ARM JSON: the lines of
 * Get-AzExpressRouteCircuit and Get-AzExpressRouteCircuitPeeringConfig as
 * the troubleshooting guide prints them (seed 003; spec 9.2), then
 * xroute's live session lines. cli/ is not a module library, so the one
 * file under test is compiled in.
 */
#include <stdlib.h>
#include <unistd.h>

#include "../../cli/res_out.c"
#include "t.h"

/* Run fn(j) with stdout going to a string (the caller frees it). */
static char *
capture(void (*fn)(json_t *), json_t *j)
{
	FILE *tmp = tmpfile();
	int saved = dup(STDOUT_FILENO);
	char *buf = NULL;
	size_t len = 0;

	fflush(stdout);
	dup2(fileno(tmp), STDOUT_FILENO);
	fn(j);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	rewind(tmp);
	if (getdelim(&buf, &len, '\0', tmp) < 0) {
		free(buf);
		buf = NULL;
	}
	fclose(tmp);
	return buf;
}

#define ID "/subscriptions/s1/resourceGroups/Test-ER-RG/providers/" \
	"Microsoft.Network/expressRouteCircuits/Test-ER-Ckt"

static void
test_circuit_seed_layout(void)
{
	json_t *c = json_loads("{\"name\":\"Test-ER-Ckt\",\"id\":\"" ID "\","
	    "\"etag\":\"W/\\\"e1\\\"\",\"location\":\"westus2\","
	    "\"sku\":{\"name\":\"Standard_UnlimitedData\",\"tier\":"
	    "\"Standard\",\"family\":\"UnlimitedData\"},\"properties\":{"
	    "\"provisioningState\":\"Succeeded\","
	    "\"circuitProvisioningState\":\"Enabled\","
	    "\"serviceProviderProvisioningState\":\"Provisioned\","
	    "\"serviceProviderProperties\":{\"serviceProviderName\":"
	    "\"Equinix\",\"peeringLocation\":\"Silicon Valley\","
	    "\"bandwidthInMbps\":100},\"serviceKey\":\"k-1\","
	    "\"peerings\":[],\"authorizations\":[],\"sessionSummary\":{"
	    "\"state\":\"NotConfigured\",\"primary\":{\"configured\":0,"
	    "\"established\":0},\"secondary\":{\"configured\":0,"
	    "\"established\":0}}}}", 0, NULL);
	char *out = capture(res_print_circuit_ps, c);

	T_STREQ(out,
	    "Name                             : Test-ER-Ckt\n"
	    "ResourceGroupName                : Test-ER-RG\n"
	    "Location                         : westus2\n"
	    "Id                               : " ID "\n"
	    "Etag                             : W/\"e1\"\n"
	    "ProvisioningState                : Succeeded\n"
	    "Sku                              : {\n"
	    "                                    \"Name\": \"Standard_UnlimitedData\",\n"
	    "                                    \"Tier\": \"Standard\",\n"
	    "                                    \"Family\": \"UnlimitedData\"\n"
	    "                                   }\n"
	    "CircuitProvisioningState         : Enabled\n"
	    "ServiceProviderProvisioningState : Provisioned\n"
	    "ServiceProviderNotes             :\n"
	    "ServiceProviderProperties        : {\n"
	    "                                    \"ServiceProviderName\": \"Equinix\",\n"
	    "                                    \"PeeringLocation\": \"Silicon Valley\",\n"
	    "                                    \"BandwidthInMbps\": 100\n"
	    "                                   }\n"
	    "ServiceKey                       : k-1\n"
	    "Peerings                         : []\n"
	    "Authorizations                   : []\n"
	    "SessionState                     : NotConfigured\n"
	    "PrimarySessions                  : 0 of 0 Established\n"
	    "SecondarySessions                : 0 of 0 Established\n");
	free(out);
	json_decref(c);
}

static void
test_circuit_peering_states(void)
{
	json_t *c = json_loads("{\"name\":\"c\",\"properties\":{\"peerings\":"
	    "[{\"name\":\"AzurePrivatePeering\",\"properties\":{"
	    "\"peeringType\":\"AzurePrivatePeering\",\"azureASN\":12076,"
	    "\"peerASN\":65010,\"primaryPeerAddressPrefix\":\"172.16.0.0/30\","
	    "\"secondaryPeerAddressPrefix\":\"172.16.0.4/30\",\"vlanId\":200,"
	    "\"state\":\"Enabled\",\"provisioningState\":\"Succeeded\","
	    "\"primaryStatus\":{\"state\":\"Established\"},"
	    "\"secondaryStatus\":{\"state\":\"Active\"}}}],"
	    "\"sessionSummary\":{\"state\":\"Degraded\",\"primary\":{"
	    "\"configured\":1,\"established\":1},\"secondary\":{"
	    "\"configured\":1,\"established\":0}}}}", 0, NULL);
	char *out = capture(res_print_circuit_ps, c);

	T_CHECK(out != NULL && strstr(out,
	    "Peerings                         : [\n"
	    "                                    {\n"
	    "                                     \"Name\": \"AzurePrivatePeering\",\n") != NULL);
	T_CHECK(out != NULL && strstr(out,
	    "                                     \"PrimaryBgpState\": \"Established\",\n"
	    "                                     \"SecondaryBgpState\": \"Active\"\n"
	    "                                    }\n"
	    "                                   ]\n") != NULL);
	T_CHECK(out != NULL && strstr(out,
	    "SessionState                     : Degraded\n"
	    "PrimarySessions                  : 1 of 1 Established\n"
	    "SecondarySessions                : 0 of 1 Established\n") != NULL);
	free(out);
	json_decref(c);
}

#define PID ID "/peerings/AzurePrivatePeering"

static void
test_peering_seed_layout(void)
{
	json_t *p = json_loads("{\"name\":\"AzurePrivatePeering\",\"id\":\""
	    PID "\",\"etag\":\"W/\\\"e2\\\"\",\"properties\":{"
	    "\"peeringType\":\"AzurePrivatePeering\",\"azureASN\":12076,"
	    "\"peerASN\":65010,\"primaryPeerAddressPrefix\":\"172.16.0.0/30\","
	    "\"secondaryPeerAddressPrefix\":\"172.16.0.4/30\","
	    "\"primaryAzurePort\":\"\",\"secondaryAzurePort\":\"\","
	    "\"vlanId\":200,\"state\":\"Enabled\","
	    "\"provisioningState\":\"Succeeded\",\"primaryStatus\":{"
	    "\"state\":\"Established\",\"neighbor\":\"172.16.0.1\","
	    "\"uptimeSeconds\":312,\"prefixesReceived\":1,"
	    "\"prefixesAdvertised\":0,\"flaps\":0,\"lastError\":\"\"},"
	    "\"secondaryStatus\":{\"state\":\"Active\",\"neighbor\":"
	    "\"172.16.0.5\",\"flaps\":2,\"adminDown\":false,\"lastError\":"
	    "\"hold timer expired\",\"hint\":\"check the key\"}}}", 0, NULL);
	char *out = capture(res_print_peering_ps, p);

	T_STREQ(out,
	    "Name                       : AzurePrivatePeering\n"
	    "Id                         : " PID "\n"
	    "Etag                       : W/\"e2\"\n"
	    "PeeringType                : AzurePrivatePeering\n"
	    "AzureASN                   : 12076\n"
	    "PeerASN                    : 65010\n"
	    "PrimaryPeerAddressPrefix   : 172.16.0.0/30\n"
	    "SecondaryPeerAddressPrefix : 172.16.0.4/30\n"
	    "PrimaryAzurePort           :\n"
	    "SecondaryAzurePort         :\n"
	    "SharedKey                  :\n"
	    "VlanId                     : 200\n"
	    "MicrosoftPeeringConfig     : null\n"
	    "ProvisioningState          : Succeeded\n"
	    "State                      : Enabled\n"
	    "Ipv6PeeringConfig          : null\n"
	    "PrimarySession             : Established, neighbor 172.16.0.1, "
	    "up 00:05:12, 1 received, 0 advertised, 0 flaps\n"
	    "SecondarySession           : Active, neighbor 172.16.0.5, "
	    "2 flaps, last error: hold timer expired; hint: check the key\n");
	free(out);
	json_decref(p);
}

static void
test_peering_ipv6_lines(void)
{
	json_t *p = json_loads("{\"name\":\"AzurePrivatePeering\",\"properties\":"
	    "{\"state\":\"Disabled\",\"ipv6PeeringConfig\":{"
	    "\"primaryPeerAddressPrefix\":\"fd00:1::/126\","
	    "\"secondaryPeerAddressPrefix\":\"fd00:1::4/126\",\"state\":"
	    "\"Enabled\"},\"primaryStatus\":{\"state\":\"Idle\",\"neighbor\":"
	    "\"172.16.0.1\",\"flaps\":1,\"adminDown\":true,\"adminMessage\":"
	    "\"peering disabled\",\"ipv6\":{\"state\":\"Established\","
	    "\"neighbor\":\"fd00:1::1\",\"uptimeSeconds\":93784,"
	    "\"prefixesReceived\":3,\"prefixesAdvertised\":2,\"flaps\":0}}}}",
	    0, NULL);
	char *out = capture(res_print_peering_ps, p);

	T_CHECK(out != NULL && strstr(out,
	    "Ipv6PeeringConfig          : {\n"
	    "                              \"PrimaryPeerAddressPrefix\": \"fd00:1::/126\",\n"
	    "                              \"SecondaryPeerAddressPrefix\": \"fd00:1::4/126\",\n"
	    "                              \"State\": \"Enabled\"\n"
	    "                             }\n") != NULL);
	T_CHECK(out != NULL && strstr(out,
	    "PrimarySession             : Idle, neighbor 172.16.0.1, 1 flaps, "
	    "admin down: peering disabled\n"
	    "SecondarySession           : NotReported (no status from the "
	    "edge)\n"
	    "PrimarySessionIPv6         : Established, neighbor fd00:1::1, up "
	    "1d02h03m, 3 received, 2 advertised, 0 flaps\n"
	    "SecondarySessionIPv6       : NotReported (no status from the "
	    "edge)\n") != NULL);
	free(out);
	json_decref(p);
}

int
main(void)
{
	T_RUN(test_circuit_seed_layout);
	T_RUN(test_circuit_peering_states);
	T_RUN(test_peering_seed_layout);
	T_RUN(test_peering_ipv6_lines);
	return t_done();
}
