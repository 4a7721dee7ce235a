"""Measuring extraction against gold data nobody here wrote: CoNLL04 (entities and relations) and MEANTIME
(entities and their identity across documents). The extraction is the one ``kg build`` runs."""
