"""MedCom messaging (FHIR R4): HospitalNotification in, CareCommunication "Udvidet
behandlingsansvar" out and in, Acknowledgements both ways, and the FHIR export of a discharge.
The messages and their meaning are described in ``../shared/data/medcom/`` and MedCom's guides."""
