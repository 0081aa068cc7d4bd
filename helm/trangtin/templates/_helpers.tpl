{{- define "trangtin.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "trangtin.fullname" -}}
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

{{- define "trangtin.labels" -}}
app.kubernetes.io/name: {{ include "trangtin.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "trangtin.selectorLabels" -}}
app.kubernetes.io/name: {{ include "trangtin.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "trangtin.secretName" -}}
{{- if .Values.existingSecret -}}{{ .Values.existingSecret }}{{- else -}}{{ include "trangtin.fullname" . }}{{- end -}}
{{- end -}}

{{- define "trangtin.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}{{ default (include "trangtin.fullname" .) .Values.serviceAccount.name }}{{- else -}}{{ default "default" .Values.serviceAccount.name }}{{- end -}}
{{- end -}}

{{- define "trangtin.image" -}}
{{ .Values.image.repository }}:{{ default .Chart.AppVersion .Values.image.tag }}
{{- end -}}

{{/* Container security shared by the Deployment and the migration Job. */}}
{{- define "trangtin.containerSecurity" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Environment shared by the Deployment and the migration Job. */}}
{{- define "trangtin.env" -}}
- name: TRANGTIN_DATABASE_URL
  valueFrom: {secretKeyRef: {name: {{ include "trangtin.secretName" . }}, key: TRANGTIN_DATABASE_URL}}
- name: TRANGTIN_S3_ACCESS_KEY
  valueFrom: {secretKeyRef: {name: {{ include "trangtin.secretName" . }}, key: TRANGTIN_S3_ACCESS_KEY}}
- name: TRANGTIN_S3_SECRET_KEY
  valueFrom: {secretKeyRef: {name: {{ include "trangtin.secretName" . }}, key: TRANGTIN_S3_SECRET_KEY}}
- name: TRANGTIN_SECRET
  valueFrom: {secretKeyRef: {name: {{ include "trangtin.secretName" . }}, key: TRANGTIN_SECRET}}
{{- end -}}
