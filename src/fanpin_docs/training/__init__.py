"""Training documents (培训花名册, 签到表, 误工补贴发放花名册, 汇总表, 公示) from the attendance workbook.

As a library::

    from fanpin_docs.policy import load_policy
    from fanpin_docs.readers import load_training
    from fanpin_docs.training import compute_payments

    classes, trainees = load_training("培训考勤.xlsx")
    payments = compute_payments(load_policy("qianjiang-2023"), classes, trainees)
"""

from .batch import TrainingOptions, TrainingResult, generate_training, run, write_training_documents
from .payments import ClassPayments, Payment, compute_payments, training_rule
from .publicity import publicity_start, training_publicity, write_allowance_publicity

__all__ = [
    "ClassPayments",
    "Payment",
    "TrainingOptions",
    "TrainingResult",
    "compute_payments",
    "publicity_start",
    "run",
    "generate_training",
    "training_publicity",
    "training_rule",
    "write_allowance_publicity",
    "write_training_documents",
]
