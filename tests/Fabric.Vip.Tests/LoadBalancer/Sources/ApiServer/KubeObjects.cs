using System.Text.Json.Nodes;

namespace Fabric.Vip.Tests.LoadBalancer.Sources.ApiServer;

/// <summary>Objects shaped as `kubectl get -o json` returns them (uids, timestamps, cluster IPs, node ports,
/// controller-managed slices), so the client deserialises what a real API server sends.</summary>
public static class KubeObjects
{
    public static JsonObject Service(string name, string ns = "default", string type = "LoadBalancer",
        Dictionary<string, string>? annotations = null, string externalTrafficPolicy = "Cluster", string? loadBalancerClass = null,
        int port = 80)
    {
        var service = JsonNode.Parse($$"""
        {
          "apiVersion": "v1",
          "kind": "Service",
          "metadata": {
            "creationTimestamp": "2025-01-14T09:21:37Z",
            "labels": { "app.kubernetes.io/name": "{{name}}" },
            "name": "{{name}}",
            "namespace": "{{ns}}",
            "resourceVersion": "1",
            "uid": "{{Guid.NewGuid()}}"
          },
          "spec": {
            "allocateLoadBalancerNodePorts": true,
            "clusterIP": "10.96.{{port % 250}}.17",
            "clusterIPs": [ "10.96.{{port % 250}}.17" ],
            "externalTrafficPolicy": "{{externalTrafficPolicy}}",
            "internalTrafficPolicy": "Cluster",
            "ipFamilies": [ "IPv4" ],
            "ipFamilyPolicy": "SingleStack",
            "ports": [
              { "name": "http", "nodePort": 31{{port % 1000:000}}, "port": {{port}}, "protocol": "TCP", "targetPort": 8080 }
            ],
            "selector": { "app.kubernetes.io/name": "{{name}}" },
            "sessionAffinity": "None",
            "type": "{{type}}"
          },
          "status": { "loadBalancer": {} }
        }
        """)!.AsObject();
        if (annotations is not null)
            service["metadata"]!["annotations"] = new JsonObject(annotations.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)JsonValue.Create(a.Value))));
        if (loadBalancerClass is not null) service["spec"]!["loadBalancerClass"] = loadBalancerClass;
        if (type != "LoadBalancer") { service["spec"]!.AsObject().Remove("allocateLoadBalancerNodePorts"); service["spec"]!.AsObject().Remove("externalTrafficPolicy"); }
        return service;
    }

    /// <summary>A slice as the EndpointSlice controller writes it; each endpoint is (node, ready).</summary>
    public static JsonObject EndpointSlice(string service, string suffix, string ns = "default", params (string Node, bool Ready)[] endpoints)
    {
        var slice = JsonNode.Parse($$"""
        {
          "addressType": "IPv4",
          "apiVersion": "discovery.k8s.io/v1",
          "kind": "EndpointSlice",
          "metadata": {
            "creationTimestamp": "2025-01-14T09:21:37Z",
            "generateName": "{{service}}-",
            "generation": 3,
            "labels": {
              "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
              "kubernetes.io/service-name": "{{service}}"
            },
            "name": "{{service}}-{{suffix}}",
            "namespace": "{{ns}}",
            "ownerReferences": [
              { "apiVersion": "v1", "blockOwnerDeletion": true, "controller": true, "kind": "Service", "name": "{{service}}", "uid": "{{Guid.NewGuid()}}" }
            ],
            "resourceVersion": "1",
            "uid": "{{Guid.NewGuid()}}"
          },
          "endpoints": [],
          "ports": [ { "name": "http", "port": 8080, "protocol": "TCP" } ]
        }
        """)!.AsObject();
        var list = slice["endpoints"]!.AsArray();
        var n = 10;
        foreach (var (node, ready) in endpoints)
            list.Add(JsonNode.Parse($$"""
            {
              "addresses": [ "10.244.{{n}}.{{n + 3}}" ],
              "conditions": { "ready": {{(ready ? "true" : "false")}}, "serving": {{(ready ? "true" : "false")}}, "terminating": false },
              "nodeName": "{{node}}",
              "targetRef": { "kind": "Pod", "name": "{{service}}-7c9d8f-{{n++}}x", "namespace": "{{ns}}", "uid": "{{Guid.NewGuid()}}" }
            }
            """));
        return slice;
    }

    /// <summary>The object moved to another namespace: the MetalLB kinds are made in metallb-system, where MetalLB
    /// runs.</summary>
    public static JsonObject In(this JsonObject obj, string ns)
    {
        obj["metadata"]!["namespace"] = ns;
        return obj;
    }

    public static JsonObject IpAddressPool(string name, params string[] addresses) => JsonNode.Parse($$"""
        {
          "apiVersion": "metallb.io/v1beta1",
          "kind": "IPAddressPool",
          "metadata": { "creationTimestamp": "2025-01-14T09:00:00Z", "generation": 1, "name": "{{name}}", "namespace": "metallb-system", "resourceVersion": "1", "uid": "{{Guid.NewGuid()}}" },
          "spec": { "addresses": [ {{string.Join(", ", addresses.Select(a => $"\"{a}\""))}} ], "autoAssign": true, "avoidBuggyIPs": false }
        }
        """)!.AsObject();

    public static JsonObject L2Advertisement(string name, string pool) => JsonNode.Parse($$"""
        {
          "apiVersion": "metallb.io/v1beta1",
          "kind": "L2Advertisement",
          "metadata": { "creationTimestamp": "2025-01-14T09:00:00Z", "generation": 1, "name": "{{name}}", "namespace": "metallb-system", "resourceVersion": "1", "uid": "{{Guid.NewGuid()}}" },
          "spec": { "ipAddressPools": [ "{{pool}}" ] }
        }
        """)!.AsObject();

    public static JsonObject BgpPeer(string name, string address, long peerAsn) => JsonNode.Parse($$"""
        {
          "apiVersion": "metallb.io/v1beta2",
          "kind": "BGPPeer",
          "metadata": { "creationTimestamp": "2025-01-14T09:00:00Z", "generation": 1, "name": "{{name}}", "namespace": "metallb-system", "resourceVersion": "1", "uid": "{{Guid.NewGuid()}}" },
          "spec": { "holdTime": "1m30s", "myASN": 64512, "peerASN": {{peerAsn}}, "peerAddress": "{{address}}" }
        }
        """)!.AsObject();

    public static JsonObject BgpAdvertisement(string name, string pool, params string[] communities) => JsonNode.Parse($$"""
        {
          "apiVersion": "metallb.io/v1beta1",
          "kind": "BGPAdvertisement",
          "metadata": { "creationTimestamp": "2025-01-14T09:00:00Z", "generation": 1, "name": "{{name}}", "namespace": "metallb-system", "resourceVersion": "1", "uid": "{{Guid.NewGuid()}}" },
          "spec": { "aggregationLength": 32, "aggregationLengthV6": 128, "ipAddressPools": [ "{{pool}}" ], "communities": [ {{string.Join(", ", communities.Select(c => $"\"{c}\""))}} ] }
        }
        """)!.AsObject();

    public static JsonObject Community(string name, string alias, string value) => JsonNode.Parse($$"""
        {
          "apiVersion": "metallb.io/v1beta1",
          "kind": "Community",
          "metadata": { "creationTimestamp": "2025-01-14T09:00:00Z", "generation": 1, "name": "{{name}}", "namespace": "metallb-system", "resourceVersion": "1", "uid": "{{Guid.NewGuid()}}" },
          "spec": { "communities": [ { "name": "{{alias}}", "value": "{{value}}" } ] }
        }
        """)!.AsObject();
}
