"""Who may reach every URL of the site, and what bad input does to it: the access matrix
(``rows.py``, checked by ``test_matrix.py``) and the fuzz test of every form
(``test_fuzz_forms.py``), both driven by one walk of Django's URL resolver (``routes.py``)
over one set of people and objects (``world.py``)."""
