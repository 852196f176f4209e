#pragma once
// formats/ owns the deployable artifacts made from a certificate, its key and its chain (PEM sets,
// HAProxy bundles, PKCS#12, JKS, truststores, Kubernetes TLS Secrets, ordered chain files, Puppet ssl
// dirs), reading them back, and recognising which one a file is. It does not decide trust (pki/) or
// where files go on a node (agent/).
//
// This header holds only the folder's opening comment (STYLE.md section 1); include the header of
// the type you use.
