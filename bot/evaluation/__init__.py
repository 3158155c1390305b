"""Measuring and training the decision on labelled question sets.

Owns the labelled sets' format (`labelled`), the accuracy report of `policybot
eval` (`report`) and the training of the decision and of the follow-up reading that
`policybot build` stores in facts.db (`training`, `following`: the only code that
imports scikit-learn; `operating`: the bars chosen on held-out predictions). May import the
answering core and the knowledge readers; nothing below imports it.
"""
