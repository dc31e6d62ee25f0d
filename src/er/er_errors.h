/*
 * The error catalogue: every error the resource model can answer, with its
 * HTTP status, ARM error code and message format. Texts quoted by users
 * (seeds) are reproduced exactly; where the spec marks Azure's wording
 * UNCONFIRMED, the message names the value and what is allowed. The table
 * is the single source of docs/errors.md (build/tests/tools/er_errdoc).
 */
#ifndef XR_ER_ERRORS_H
#define XR_ER_ERRORS_H

#define ER_ERRORS(X) \
/* request, auth, generic ARM */ \
X(MISSING_API_VERSION, 400, "MissingApiVersionParameter", \
  "The api-version query parameter (?api-version=) is required for all requests.") \
X(INVALID_API_VERSION, 400, "InvalidApiVersionParameter", \
  "The api-version '%s' is invalid. The supported versions are '%s'.") \
X(AUTH_MISSING, 401, "AuthenticationFailed", \
  "Authentication failed. The 'Authorization' header is missing or is not of the form 'Bearer <token>'.") \
X(AUTH_INVALID, 401, "InvalidAuthenticationToken", \
  "The access token is invalid.") \
X(FORBIDDEN, 403, "AuthorizationFailed", \
  "The client with role '%s' does not have authorization to perform action '%s' over scope '%s'.") \
X(NOT_FOUND, 404, "ResourceNotFound", \
  "The Resource '%s/%s' under resource group '%s' was not found.") \
X(CHILD_NOT_FOUND, 404, "NotFound", \
  "Resource %s not found.") \
X(RG_NOT_FOUND, 404, "ResourceGroupNotFound", \
  "Resource group '%s' could not be found.") \
X(SUB_NOT_FOUND, 404, "SubscriptionNotFound", \
  "The subscription '%s' could not be found.") \
X(BAD_PATH, 404, "InvalidResourceType", \
  "The resource path '%s' does not name a resource type of namespace 'Microsoft.Network' that this server supports.") \
X(METHOD, 405, "MethodNotAllowed", \
  "The requested resource does not support http method '%s'.") \
X(BAD_JSON, 400, "InvalidRequestFormat", \
  "Cannot parse the request: %s.") \
X(BODY_REQUIRED, 400, "InvalidRequestContent", \
  "The request content is empty or not a JSON object; a JSON object is required.") \
X(UNKNOWN_PROP, 400, "InvalidRequestContent", \
  "Property '%s' is not allowed. Allowed properties here: %s.") \
X(BAD_VALUE, 400, "InvalidRequestContent", \
  "Property '%s' has an invalid value %s: expected %s.") \
X(MISSING_PROP, 400, "InvalidRequestContent", \
  "Property '%s' is required.") \
X(TOO_LARGE, 413, "RequestEntityTooLarge", \
  "The request content is larger than the limit of %lld bytes.") \
X(THROTTLED, 429, "TooManyRequests", \
  "The request rate of this token exceeded the limit of %d requests per second (burst %d). Please try again after '%d' seconds.") \
X(PRECONDITION, 412, "PreconditionFailed", \
  "The condition specified using HTTP conditional header(s) is not met: %s.") \
X(NAME_INVALID, 400, "InvalidResourceName", \
  "Resource name '%s' is invalid. The name can be up to 80 characters long. It must begin with a word character, and it must end with a word character or with '_'. The name may contain word characters or '.', '-', '_'.") \
X(NAME_MISMATCH, 400, "InvalidRequestContent", \
  "Property 'name' has value '%s' but the request URI names the resource '%s'.") \
X(LOCATION_INVALID, 400, "LocationNotAvailableForResourceType", \
  "The provided location '%s' is not available for resource type '%s'. List of available regions for the resource type is '%s'.") \
X(LINKED_ID_INVALID, 400, "LinkedInvalidPropertyId", \
  "Property id '%s' at path '%s' is invalid. Expect fully qualified resource Id that start with '/subscriptions/{subscriptionId}' or '/providers/{resourceProviderNamespace}/'.") \
X(REF_INVALID, 400, "InvalidResourceReference", \
  "Resource %s referenced by resource %s was not found. Please make sure that the referenced resource exists.") \
X(PATCH_TAGS_ONLY, 400, "InvalidRequestContent", \
  "PATCH can change only 'tags'; property '%s' cannot be changed with PATCH. Use PUT.") \
X(TOO_MANY_TAGS, 400, "InvalidTagNameOrValue", \
  "The resource has %lld tags; at most 50 are allowed, with names up to 512 and values up to 256 characters.") \
X(STORE, 500, "InternalServerError", \
  "The request failed in the store: %s.") \
X(DEVICE_PATH, 400, "InvalidDevicePath", \
  "Device path '%s' is invalid. Allowed values: primary, secondary.") \
/* circuits */ \
X(SKU_NAME_MISMATCH, 400, "InvalidSkuName", \
  "Sku name '%s' does not match tier '%s' and family '%s'; the name must be '%s'.") \
X(SKU_BASIC, 400, "InvalidSkuTier", \
  "Sku tier 'Basic' is a legacy tier and cannot be used. Allowed tiers: Local, Standard, Premium.") \
X(PROVIDER_UNKNOWN, 400, "InvalidServiceProviderName", \
  "Service provider '%s' is not a valid ExpressRoute service provider. Valid service providers: %s.") \
X(LOCATION_NOT_OFFERED, 400, "InvalidPeeringLocation", \
  "Peering location '%s' is not offered by service provider '%s'. Offered peering locations: %s.") \
X(BANDWIDTH_NOT_OFFERED, 400, "InvalidBandwidth", \
  "Bandwidth %lld Mbps is not offered by service provider '%s'. Offered bandwidths in Mbps: %s.") \
X(CIRCUIT_IMMUTABLE, 400, "CannotChangeCircuitProperty", \
  "Property '%s' of circuit '%s' cannot be changed from '%s' to '%s'. Create a new circuit instead.") \
X(SKU_TO_LOCAL, 400, "CannotChangeSkuTierToLocal", \
  "The SKU tier of circuit '%s' cannot be changed from %s to Local.") \
X(FAMILY_DOWNGRADE, 400, "CannotChangeSkuFamily", \
  "The billing model of circuit '%s' cannot be changed from UnlimitedData to MeteredData. Only MeteredData to UnlimitedData is allowed.") \
X(BANDWIDTH_DECREASE, 400, "CannotDecreaseBandwidth", \
  "The bandwidth of circuit '%s' cannot be decreased from %lld Mbps to %lld Mbps. Create a new circuit with the lower bandwidth and delete this one.") \
X(PREMIUM_DOWNGRADE_LINKS, 400, "CannotDowngradePremium", \
  "Circuit '%s' cannot be changed from Premium to %s: it has %lld virtual network links and %s allows at most %lld.") \
X(PREMIUM_DOWNGRADE_GEO, 400, "CannotDowngradePremium", \
  "Circuit '%s' cannot be changed from Premium to %s: connection '%s' links a virtual network in region %s (geopolitical region %s) outside the circuit's geopolitical region %s.") \
X(PREMIUM_DOWNGRADE_O365, 400, "CannotDowngradePremium", \
  "Circuit '%s' cannot be changed from Premium to %s: route filter '%s' attached to its Microsoft peering includes Office 365 communities, which need Premium.") \
X(GLOBALREACH_LOCAL, 400, "GlobalReachNotSupportedOnLocalSku", \
  "Global Reach is not available for circuit '%s' with SKU tier Local. Use Standard or Premium.") \
X(DELETE_PROVISIONED, 400, "CircuitDeleteNotAllowedWhileProvisioned", \
  "Circuit '%s' (service key %s) cannot be deleted while its service provider provisioning state is %s. Ask the service provider to deprovision the circuit first.") \
X(DELETE_LINKED, 400, "CircuitHasConnections", \
  "Circuit '%s' cannot be deleted while %lld virtual network connection(s) are linked to it (%s). Delete the connections first.") \
X(QUOTA_SUB, 400, "QuotaExceeded", \
  "Subscription '%s' has reached its limit of %lld ExpressRoute circuits. Ask the operator to raise the quota.") \
X(QUOTA_REGION, 400, "QuotaExceeded", \
  "Subscription '%s' has reached its limit of %lld ExpressRoute circuits in region '%s'. Ask the operator to raise the quota.") \
X(XC_TRANSITION, 400, "InvalidServiceProviderProvisioningState", \
  "The service provider provisioning state of the circuit with service key %s cannot change from %s to %s. Allowed next states: %s.") \
/* peerings */ \
X(PEERING_NOT_FOUND, 400, "ExpressRouteCircuitPeeringNotFound", \
  "The BGP Peering %s with Service Key %s is not found.") \
X(VIEW_NO_EDGE, 504, "EdgeDidNotAnswer", \
  "No edge answered the %s request for the %s path of peering %s (service key %s) within %lld ms: is an edge (xrouted --role edge --path %s) running at peering location '%s' and following this store?") \
X(VIEW_EDGE_FAILED, 502, "EdgeRequestFailed", \
  "The %s edge could not produce the %s of peering %s: %s") \
X(CONNTEST_PEERING, 400, "ConnectivityTestNotSupported", \
  "The connectivity test runs on AzurePrivatePeering only; peering '%s' is not one.") \
X(CONNTEST_FAMILY, 400, "InvalidConnectivityTest", \
  "sourceIpAddress %s and destinationIpAddress %s are of different address families; give two IPv4 or two IPv6 addresses (or prefixes).") \
X(CONNTEST_PORTS, 400, "InvalidConnectivityTest", \
  "Ports need protocol TCP or UDP; protocol is %s.") \
X(CONNTEST_NONE, 400, "ConnectivityTestNotRunning", \
  "No connectivity test is running on peering %s of circuit '%s'; start one with POST .../startConnectivityTest.") \
X(PEERING_NAME, 400, "InvalidPeeringName", \
  "Peering name '%s' is invalid. A peering is named by its type: AzurePrivatePeering or MicrosoftPeering.") \
X(PEERING_TYPE_MISMATCH, 400, "InvalidPeeringType", \
  "Peering type '%s' does not match the peering name '%s'.") \
X(PEERING_PUBLIC_RETIRED, 400, "AzurePublicPeeringNotSupported", \
  "Azure public peering is retired and cannot be created. Use MicrosoftPeering for public services.") \
X(NOT_PROVISIONED, 400, "ServiceProviderNotProvisioned", \
  "Peering %s cannot be configured on circuit '%s' because its service provider provisioning state is %s. Peerings can be configured only after the service provider has provisioned the circuit (state Provisioned).") \
X(ASN_RESERVED, 400, "PeerAsnReserved", \
  "Peer ASN %lld is reserved for Azure internal use. ASNs 65515-65520 cannot be used as peer ASN; choose another ASN.") \
X(PREFIX_SYNTAX, 400, "InvalidPeerAddressPrefix", \
  "%s '%s' is not a valid %s prefix.") \
X(PREFIX_LEN, 400, "InvalidPeerAddressPrefix", \
  "%s '%s' must be a /%lld link subnet (or, given alone as the primary prefix, a /%lld that is split into the primary and secondary subnets).") \
X(PREFIX_HOSTBITS, 400, "InvalidPeerAddressPrefix", \
  "%s '%s' has host bits set; the network address is '%s'.") \
X(PREFIX_SAME, 400, "InvalidPeerAddressPrefix", \
  "The primary and secondary peer address prefixes must be different subnets; '%s' and '%s' overlap.") \
X(PREFIX_NOT_PUBLIC, 400, "MicrosoftPeeringPrefixNotPublic", \
  "%s '%s' is not a public address range (%s). Microsoft peering needs public addresses registered to you.") \
X(PEERING_NEEDS_IP, 400, "InvalidPeeringConfiguration", \
  "Peering %s needs primaryPeerAddressPrefix and secondaryPeerAddressPrefix (IPv4), an ipv6PeeringConfig with both prefixes, or both.") \
X(VLAN_IN_USE, 400, "VlanIdInUse", \
  "VLAN ID %lld is already used by peering %s of circuit '%s'. Each peering of a circuit needs its own VLAN ID.") \
X(MS_CONFIG_REQUIRED, 400, "MicrosoftPeeringConfigRequired", \
  "Microsoft peering needs %s.advertisedPublicPrefixes with at least one public prefix.") \
X(ADVERTISED_PREFIX_INVALID, 400, "InvalidAdvertisedPublicPrefix", \
  "Advertised public prefix '%s' is not valid: %s.") \
X(MSONLY_PROP, 400, "InvalidPeeringConfiguration", \
  "Property '%s' is allowed only on MicrosoftPeering.") \
X(FILTER_ON_PRIVATE, 400, "RouteFilterNotSupportedOnPeering", \
  "Route filters can be attached only to MicrosoftPeering; peering %s cannot have one.") \
X(PREFIX_APPROVE_STATE, 400, "InvalidAdvertisedPublicPrefixesState", \
  "Advertised public prefixes of peering %s are in state %s; only ValidationNeeded can be approved.") \
/* route filters */ \
X(RF_RULE_LIMIT, 400, "RouteFilterRuleLimitReached", \
  "Route filter '%s' can have only one rule; it already has rule '%s'.") \
X(RF_ACCESS, 400, "RouteFilterRuleAccessNotSupported", \
  "Route filter rule access '%s' is not supported. Only 'Allow' rules are supported: a route filter is an allow-list of communities.") \
X(RF_COMMUNITY_COLON, 400, "InvalidCommunityName", \
  "Community name %s of route filter rule %s is invalid. The name must contain colon (:).") \
X(RF_COMMUNITY_UNKNOWN, 400, "InvalidCommunityValue", \
  "Community value '%s' of route filter rule '%s' is not a BGP service community. List them with GET /subscriptions/{subscriptionId}/providers/Microsoft.Network/bgpServiceCommunities.") \
X(RF_O365_UNAUTH, 400, "SubscriptionNotAuthorizedForO365", \
  "The subscription with id '%s' is not authorized for creating route filters for O365 services. Read more about requesting approval.") \
X(RF_O365_PREMIUM_RULE, 400, "CircuitNotCompatibleWithRouteFilter", \
  "Failed to modify route filter rule '%s'. Error: The remote server returned an unexpected response: (400) %s is not compatible with the route filter. The route filter includes Office 365 communities. The circuit does not have access to Office365..") \
X(RF_O365_PREMIUM_ATTACH, 400, "CircuitNotCompatibleWithRouteFilter", \
  "%s is not compatible with the route filter. The route filter includes Office 365 communities. The circuit does not have access to Office365.") \
X(RF_IN_USE, 400, "RouteFilterInUse", \
  "Route filter '%s' cannot be deleted because it is attached to peering(s): %s. Detach it first.") \
X(RF_EMPTY, 400, "InvalidRouteFilterRule", \
  "Route filter rule '%s' needs at least one community.") \
/* authorizations */ \
X(AUTH_KEY_INVALID, 400, "InvalidAuthorizationKey", \
  "The authorization key provided for circuit '%s' is not valid.") \
X(AUTH_KEY_IN_USE, 400, "AuthorizationKeyInUse", \
  "Authorization '%s' of circuit '%s' is already in use by connection '%s'. One authorization can be redeemed by one connection only.") \
/* virtual networks */ \
X(VNET_PREFIX_INVALID, 400, "InvalidAddressPrefix", \
  "Address prefix '%s' of %s is not a valid CIDR prefix with the host bits cleared.") \
X(VNET_SPACE_OVERLAP, 400, "VnetAddressSpacesOverlap", \
  "Address prefix '%s' overlaps '%s' in the address space of virtual network '%s'.") \
X(SUBNET_OUTSIDE, 400, "NetcfgSubnetRangeOutsideVnet", \
  "Subnet '%s' is not valid because its IP address range is outside the IP address range of virtual network '%s'.") \
X(SUBNET_OVERLAP, 400, "NetcfgSubnetRangesOverlap", \
  "Subnet '%s' is not valid because its IP address range overlaps with that of an existing subnet in virtual network '%s'.") \
X(SUBNET_DUP, 400, "DuplicateSubnetName", \
  "Subnet name '%s' appears more than once in virtual network '%s'.") \
X(GATEWAYSUBNET_SMALL, 400, "GatewaySubnetTooSmall", \
  "GatewaySubnet of virtual network '%s' is %s; it must be /29 or larger (/27 or larger is recommended, /26 or larger for 16 ExpressRoute connections).") \
X(SUMMARY_OVERLAP, 400, "InvalidSummarizedGatewayPrefixes", \
  "Summarized gateway prefix '%s' overlaps '%s'; the summarizedGatewayPrefixes of virtual network '%s' must not overlap each other.") \
X(SUBNET_IN_USE, 400, "InUseSubnetCannotBeDeleted", \
  "Subnet %s is in use by %s and cannot be deleted.") \
X(VNET_IN_USE, 400, "InUseVirtualNetworkCannotBeDeleted", \
  "Virtual network '%s' cannot be deleted because it is in use by %s.") \
X(VNETPEER_SELF, 400, "CannotPeerWithSelf", \
  "Virtual network '%s' cannot be peered with itself.") \
X(VNETPEER_OVERLAP, 400, "VnetAddressSpacesOverlap", \
  "Virtual network '%s' cannot be peered with '%s' because their address spaces overlap (%s and %s).") \
X(VNETPEER_DUP, 400, "VnetPeeringAlreadyExists", \
  "Virtual network '%s' is already peered with '%s' through peering '%s'.") \
X(VNETPEER_URG_OWN_GW, 400, "UseRemoteGatewaysWithOwnGateway", \
  "Peering '%s' cannot set useRemoteGateways because virtual network '%s' has its own gateway '%s'.") \
X(VNETPEER_URG_TWICE, 400, "UseRemoteGatewaysAlreadySet", \
  "Peering '%s' cannot set useRemoteGateways because peering '%s' of virtual network '%s' already uses remote gateways. Only one peering per virtual network may set it.") \
X(VNETPEER_URG_NO_GW, 400, "RemoteVnetHasNoGateways", \
  "Peering '%s' cannot set useRemoteGateways because the remote virtual network '%s' has no gateway.") \
X(VNETPEER_URG_NO_TRANSIT, 400, "RemotePeeringDoesNotAllowGatewayTransit", \
  "Peering '%s' cannot set useRemoteGateways because the remote peering '%s' does not set allowGatewayTransit.") \
/* gateways */ \
X(GW_CUSTOM_ROUTES, 400, "CustomRoutesNotAllowedForExpressRouteGateway", \
  "Custom routes are not allowed to be specified for gateway %s of type ExpressRoute.") \
X(GW_SKU_TYPE, 400, "InvalidGatewaySku", \
  "Gateway SKU '%s' is not valid for gateway type %s. Allowed SKUs: %s.") \
X(GW_SKU_MISMATCH, 400, "InvalidGatewaySku", \
  "Gateway sku name '%s' does not match sku tier '%s'.") \
X(GW_ASN, 400, "InvalidGatewayAsn", \
  "The BGP ASN of an ExpressRoute gateway is 65515 and cannot be set to %lld.") \
X(GW_SUBNET, 400, "GatewaySubnetRequired", \
  "The IP configuration of gateway '%s' must reference the subnet named GatewaySubnet of its virtual network; got '%s'.") \
X(GW_IPCONFIG_COUNT, 400, "InvalidGatewayIpConfiguration", \
  "Gateway '%s' needs exactly one IP configuration; got %lld.") \
X(GW_EXISTS_TYPE, 400, "GatewayOfTypeAlreadyExists", \
  "Virtual network '%s' already has a gateway of type %s ('%s'). A virtual network can have one ExpressRoute and one VPN gateway.") \
X(GW_VNET_USES_REMOTE, 400, "VnetUsesRemoteGateways", \
  "Virtual network '%s' cannot have its own gateway because its peering '%s' uses remote gateways.") \
X(GW_TYPE_IMMUTABLE, 400, "CannotChangeGatewayType", \
  "The gateway type of '%s' cannot be changed from %s to %s.") \
X(GW_RESIZE, 400, "GatewayResizeNotAllowed", \
  "Gateway '%s' cannot be resized from %s to %s: resizing is allowed only within one family (Standard, HighPerformance, UltraPerformance; or ErGw1AZ, ErGw2AZ, ErGw3AZ). Delete and recreate the gateway instead.") \
X(GW_SCALE_BOUNDS, 400, "InvalidAutoScaleBounds", \
  "autoScaleConfiguration.bounds must satisfy 1 <= min <= max <= 40; got min %lld, max %lld.") \
X(GW_SCALE_NEEDED, 400, "InvalidAutoScaleBounds", \
  "Gateway SKU ErGwScale needs autoScaleConfiguration.bounds with min and max scale units (1-40).") \
X(GW_IN_USE, 400, "GatewayHasConnections", \
  "Gateway '%s' cannot be deleted while %lld connection(s) use it (%s). Delete the connections first.") \
/* connections */ \
X(CONN_GW_MODE, 400, "InvalidGatewayMode", \
  "This operation is enabled only for the following gateway mode(s): DedicatedCircuit.") \
X(CONN_GW_PROVISIONING, 400, "GatewayProvisioningStatePreventsOperation", \
  "The current provisioning status of the gateway prevents this operation.") \
X(CONN_TYPE, 400, "InvalidConnectionType", \
  "Connection type '%s' is not supported; only ExpressRoute connections are supported.") \
X(CONN_CROSS_GEO, 400, "CircuitPremiumRequiredForCrossGeo", \
  "Circuit '%s' with SKU tier %s can link only virtual networks in its geopolitical region %s; virtual network '%s' is in region %s (%s). Enable Premium on the circuit to link across geopolitical regions.") \
X(CONN_LOCAL_REGION, 400, "CircuitLocalSkuRegionNotAllowed", \
  "Circuit '%s' has SKU tier Local and can link only virtual networks in the regions local to peering location %s (%s); virtual network '%s' is in region %s.") \
X(CONN_CIRCUIT_LINKS, 400, "CircuitVnetLinkLimitReached", \
  "Circuit '%s' (%s, %lld Mbps) already has %lld virtual network links, the maximum for its SKU and bandwidth.") \
X(CONN_GW_LIMIT, 400, "GatewayConnectionLimitReached", \
  "Gateway '%s' with SKU %s can connect at most %lld circuits; it already has %lld connections.") \
X(CONN_SAME_LOCATION, 400, "GatewayPeeringLocationLimitReached", \
  "Gateway '%s' already connects %lld circuits from peering location %s; a virtual network can link at most 4 circuits from the same peering location.") \
X(CONN_DUP, 400, "ConnectionAlreadyExists", \
  "Gateway '%s' is already connected to circuit '%s' by connection '%s'.") \
X(CONN_GWSUBNET_26, 400, "GatewaySubnetTooSmallForConnections", \
  "Gateway '%s' can have more than 8 connections only with a GatewaySubnet of /26 or larger; the GatewaySubnet of virtual network '%s' is %s.") \
X(CONN_FASTPATH_SKU, 400, "FastPathNotSupportedOnGatewaySku", \
  "FastPath (expressRouteGatewayBypass) needs gateway SKU UltraPerformance, ErGw3AZ or ErGwScale with at least 10 scale units; gateway '%s' is %s.") \
X(CONN_PLFP, 400, "InvalidConnectionConfiguration", \
  "enablePrivateLinkFastPath needs expressRouteGatewayBypass set to true.") \
X(CONN_IMMUTABLE, 400, "CannotChangeConnectionProperty", \
  "Property '%s' of connection '%s' cannot be changed. Delete and recreate the connection.") \
X(CONN_ADDR_SPACES, 400, "TooManyAddressSpacesForConnection", \
  "Connection '%s' would advertise %lld address spaces; at most 200 are allowed when a connection is created.") \
/* admin */ \
X(TOKEN_SUB_REQUIRED, 400, "InvalidTokenDefinition", \
  "A %s token needs properties.subscriptionId naming an existing subscription.") \
X(TOKEN_PROVIDER_REQUIRED, 400, "InvalidTokenDefinition", \
  "A provider token needs properties.providerName naming a service provider of the catalogue; '%s' is not one.")

enum er_ecode {
#define ER_X_ENUM(n, s, c, f) ER_E_##n,
	ER_ERRORS(ER_X_ENUM)
#undef ER_X_ENUM
	ER_E_MAX
};

#endif
