{{/* Names */}}
{{- define "chasi.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "chasi.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* <fullname>-<component>, within 63 characters. Args: (dict "root" $ "component" "ingest") */}}
{{- define "chasi.componentName" -}}
{{- printf "%s-%s" (include "chasi.fullname" .root | trunc (int (sub 62 (len .component))) | trimSuffix "-") .component -}}
{{- end -}}

{{- define "chasi.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "chasi.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: chasi-sre
{{- end -}}

{{/* Args: (dict "root" $ "component" "ingest") */}}
{{- define "chasi.componentLabels" -}}
{{ include "chasi.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "chasi.selectorLabels" -}}
app.kubernetes.io/name: {{ include "chasi.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "chasi.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* The workloads this release runs, as a list of component names (the unit of everything below). */}}
{{- define "chasi.workloads" -}}
{{- $w := list -}}
{{- if .Values.embedded -}}
{{- $w = list "embedded" -}}
{{- else if eq .Values.mode "distributed" -}}
{{- $w = list "ingest" -}}
{{- else -}}
{{- range $c := list "ingest" "gateway" "streams" "sink" "diagnosis" "api" -}}
{{- if (index $.Values $c).enabled -}}{{- $w = append $w $c -}}{{- end -}}
{{- end -}}
{{- end -}}
{{- toJson $w -}}
{{- end -}}

{{/* The `chasi run --components` list of a workload. */}}
{{- define "chasi.components" -}}
{{- if eq . "diagnosis" -}}diagnosis,knowledge{{- else if eq . "embedded" -}}ingest,gateway,streams,sink,diagnosis,knowledge,api{{- else -}}{{ . }}{{- end -}}
{{- end -}}

{{/* Whether a workload talks to the Kubernetes API (and so gets a token and RBAC). */}}
{{- define "chasi.needsKubeApi" -}}
{{- if has . (list "ingest" "gateway" "embedded") -}}true{{- end -}}
{{- end -}}

{{/* Where a component's settings live in values. */}}
{{- define "chasi.componentValues" -}}
{{- if eq .component "embedded" -}}{{- toJson .root.Values.embeddedPod -}}{{- else -}}{{- toJson (index .root.Values .component) -}}{{- end -}}
{{- end -}}

{{/* appsettings.json: every section the pipeline reads, non-secret values only. */}}
{{- define "chasi.appsettings" -}}
{{- $v := .Values -}}
{{- $settings := dict -}}
{{- if not $v.embedded -}}
{{- $props := dict "security.protocol" $v.kafka.securityProtocol -}}
{{- if hasPrefix "SASL" $v.kafka.securityProtocol -}}
{{- $_ := set $props "sasl.mechanism" $v.kafka.sasl.mechanism -}}
{{- $_ := set $props "sasl.username" $v.kafka.sasl.username -}}
{{- end -}}
{{- if $v.kafka.tls.caSecret.name -}}
{{- $_ := set $props "ssl.ca.location" (printf "/etc/chasi/kafka-ca/%s" $v.kafka.tls.caSecret.key) -}}
{{- end -}}
{{- $props = merge $props $v.kafka.properties -}}
{{- $_ := set $settings "Kafka" (dict "BootstrapServers" $v.kafka.bootstrapServers "ClientId" $v.kafka.clientId "SecurityProtocol" $v.kafka.securityProtocol "Properties" $props) -}}
{{- end -}}
{{- if and (not $v.embedded) (ne $v.mode "distributed") -}}
{{- $scheme := ternary "https" "http" $v.clickhouse.secure -}}
{{- $_ := set $settings "ClickHouse" (dict "Backend" "Server" "Endpoint" (printf "%s://%s:%d" $scheme $v.clickhouse.host (int $v.clickhouse.port)) "Database" $v.clickhouse.database "Username" $v.clickhouse.username) -}}
{{- end -}}
{{- if eq $v.mode "distributed" -}}
{{- $_ := set $settings "Ingest" (dict "Mode" "Distributed" "ClusterName" $v.cluster.name "Tenant" (default $v.cluster.name $v.distributed.tenant) "HostCluster" $v.distributed.hostCluster "HostNamespace" $v.distributed.hostNamespace "DiscoverVClusters" false "IncludeConfigMapData" $v.ingest.includeConfigMapData) -}}
{{- else -}}
{{- $_ := set $settings "Ingest" (dict "Mode" "Centralized" "ClusterName" $v.cluster.name "DiscoverVClusters" $v.ingest.discoverVClusters "VClusterEndpointTemplate" $v.ingest.vclusterEndpointTemplate "TenantNamespacePattern" $v.cluster.tenantNamespacePattern "IncludeConfigMapData" $v.ingest.includeConfigMapData) -}}
{{- $_ := set $settings "Gateway" (dict "ClusterName" $v.cluster.name "TenantNamespacePattern" $v.cluster.tenantNamespacePattern) -}}
{{- $_ := set $settings "Streams" (dict "ApplicationId" $v.streams.applicationId "Partitions" (int $v.streams.partitions) "Threads" (int $v.streams.threads) "StateDirectory" "/var/lib/chasi/streams") -}}
{{- $llm := dict "Provider" $v.llm.provider -}}
{{- if $v.llm.endpoint -}}{{- $_ := set $llm "Endpoint" $v.llm.endpoint -}}{{- end -}}
{{- if $v.llm.model -}}{{- $_ := set $llm "Model" $v.llm.model -}}{{- end -}}
{{- if $v.llm.modelPath -}}{{- $_ := set $llm "ModelPath" $v.llm.modelPath -}}{{- end -}}
{{- $knowledge := dict "DataDirectory" "/var/lib/chasi/knowledge" "VectorStore" (ternary "Qdrant" "Embedded" (not (empty $v.qdrant.endpoint))) -}}
{{- if $v.qdrant.endpoint -}}
{{- $_ := set $knowledge "QdrantEndpoint" $v.qdrant.endpoint -}}
{{- $_ := set $knowledge "QdrantCollection" $v.qdrant.collection -}}
{{- end -}}
{{- $_ := set $settings "Diagnosis" (dict "Llm" $llm "Knowledge" $knowledge) -}}
{{- $_ := set $settings "Api" (dict "MaxRequestBodyBytes" (int64 $v.api.maxRequestBodyBytes) "Alertmanager" (dict "DefaultCluster" $v.cluster.name)) -}}
{{- end -}}
{{- toPrettyJson $settings -}}
{{- end -}}

{{/* Secrets as Section__Key environment variables, for the workload in .component. */}}
{{- define "chasi.secretEnv" -}}
{{- $v := .root.Values -}}
{{- $c := .component -}}
{{- if and (not $v.embedded) $v.kafka.sasl.passwordSecret.name (hasPrefix "SASL" $v.kafka.securityProtocol) }}
- name: Kafka__Properties__sasl.password
  valueFrom:
    secretKeyRef:
      name: {{ $v.kafka.sasl.passwordSecret.name }}
      key: {{ $v.kafka.sasl.passwordSecret.key }}
{{- end }}
{{- if and (not $v.embedded) (has $c (list "sink" "diagnosis" "api")) }}
{{- $scheme := ternary "https" "http" $v.clickhouse.secure }}
{{- if $v.clickhouse.passwordSecret.name }}
- name: ClickHouse__Password
  valueFrom:
    secretKeyRef:
      name: {{ $v.clickhouse.passwordSecret.name }}
      key: {{ $v.clickhouse.passwordSecret.key }}
- name: ClickHouse__ServerConnectionString
  value: {{ printf "Host=%s;Port=%d;Protocol=%s;Username=%s;Password=$(ClickHouse__Password);Database=%s" $v.clickhouse.host (int $v.clickhouse.port) $scheme $v.clickhouse.username $v.clickhouse.database | quote }}
{{- else }}
- name: ClickHouse__ServerConnectionString
  value: {{ printf "Host=%s;Port=%d;Protocol=%s;Username=%s;Database=%s" $v.clickhouse.host (int $v.clickhouse.port) $scheme $v.clickhouse.username $v.clickhouse.database | quote }}
{{- end }}
{{- end }}
{{- if and (has $c (list "diagnosis" "embedded")) $v.llm.apiKeySecret.name }}
- name: Diagnosis__Llm__ApiKey
  valueFrom:
    secretKeyRef:
      name: {{ $v.llm.apiKeySecret.name }}
      key: {{ $v.llm.apiKeySecret.key }}
{{- end }}
{{- if and (has $c (list "diagnosis" "api" "embedded")) $v.qdrant.endpoint $v.qdrant.apiKeySecret.name }}
- name: Diagnosis__Knowledge__QdrantApiKey
  valueFrom:
    secretKeyRef:
      name: {{ $v.qdrant.apiKeySecret.name }}
      key: {{ $v.qdrant.apiKeySecret.key }}
{{- end }}
{{- end -}}

{{/* The API token Secret name, or empty when no tokens are configured. */}}
{{- define "chasi.apiTokensSecret" -}}
{{- if .Values.api.existingTokensSecret -}}
{{- .Values.api.existingTokensSecret -}}
{{- else if .Values.api.tokens -}}
{{- include "chasi.componentName" (dict "root" . "component" "api-tokens") -}}
{{- end -}}
{{- end -}}
